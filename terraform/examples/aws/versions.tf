terraform {
  required_version = ">= 1.9"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40, < 6.0"
    }
  }

  # Keep the state where every autoscaler instance (and you) can reach it, with
  # locking, e.g.:
  # backend "s3" {
  #   bucket       = "my-terraform-state"
  #   key          = "hlscdn/edges.tfstate"
  #   region       = "eu-west-1"
  #   use_lockfile = true
  # }
}
