variable "region" {
  description = "AWS region of the fleet."
  type        = string
}

variable "name" {
  description = "Resource name prefix."
  type        = string
  default     = "hlscdn"
}

variable "edge_names" {
  description = "Written by the autoscaler (edges.auto.tfvars.json); leave it out of terraform.tfvars."
  type        = list(string)
  default     = []
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  description = "Public subnets, one per availability zone."
  type        = list(string)
}

variable "instance_type" {
  type    = string
  default = "c6i.large"
}

variable "redis_url" {
  description = "The registry (rediss:// with credentials)."
  type        = string
  sensitive   = true
}

variable "origin_urls" {
  type = list(string)
}

variable "signing_secret" {
  type      = string
  default   = null
  sensitive = true
}

variable "hlscdn_version" {
  type    = string
  default = "0.1.0"
}

variable "capacity" {
  description = "Per-edge capacity announced to the registry."
  type = object({
    weight      = optional(number, 1)
    egress_mbps = optional(number, 1000)
    connections = optional(number, 10000)
  })
  default = {}
}
