# An hlscdn edge fleet on AWS, sized by the autoscaler: `hlscdn autoscaler
# --actuator terraform --working-dir terraform/examples/aws` writes the edge names
# into edges.auto.tfvars.json here and runs `terraform apply`. Everything else
# comes from your terraform.tfvars (see terraform.tfvars.example) or TF_VAR_*.

provider "aws" {
  region = var.region

  default_tags {
    tags = { "hlscdn:fleet" = var.name }
  }
}

module "edges" {
  source = "../../modules/edge-fleet"

  name           = var.name
  edge_names     = var.edge_names
  vpc_id         = var.vpc_id
  subnet_ids     = var.subnet_ids
  instance_type  = var.instance_type
  redis_url      = var.redis_url
  origin_urls    = var.origin_urls
  signing_secret = var.signing_secret
  hlscdn_version = var.hlscdn_version
  capacity       = var.capacity
}
