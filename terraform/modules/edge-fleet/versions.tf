terraform {
  # mock_provider in `terraform test` needs 1.7; validation blocks that read other variables need 1.9.
  required_version = ">= 1.9"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40, < 6.0"
    }
  }
}
