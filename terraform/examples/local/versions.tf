terraform {
  # terraform_data is built in: this example needs no provider at all.
  required_version = ">= 1.9"
}
