# Inputs of the edge fleet. Every value that reaches the machines is checked here,
# so a typo fails at plan time instead of booting edges that cannot register.

variable "name" {
  description = "Prefix of every resource name (security group, launch template, instance Name tags)."
  type        = string
  default     = "hlscdn"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}$", var.name))
    error_message = "name: lowercase letters, digits and \"-\", starting with a letter, at most 31 characters."
  }
}

variable "edge_names" {
  description = "One instance per name; the name is also the edge's registry id. The autoscaler's terraform actuator writes this list (edges.auto.tfvars.json) and so decides which edge goes."
  type        = list(string)
  default     = []

  validation {
    # The registry's id rule (src/edge-registry/edge-record.ts EDGE_ID_PATTERN).
    condition     = alltrue([for n in var.edge_names : can(regex("^[a-z0-9][a-z0-9._-]{0,62}$", n))])
    error_message = "edge_names: each must match ^[a-z0-9][a-z0-9._-]{0,62}$ (the edge registry's id rule)."
  }

  validation {
    condition     = length(distinct(var.edge_names)) == length(var.edge_names)
    error_message = "edge_names: names must be unique."
  }
}

variable "vpc_id" {
  description = "VPC of the edges' security group."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id: expected a VPC id such as vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  description = "Subnets to spread edges over (one per availability zone is usual). An edge's subnet is chosen from a hash of its name, so adding or removing other edges never moves it."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) > 0 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "subnet_ids: at least one subnet id such as subnet-0123456789abcdef0."
  }
}

variable "ami_id" {
  description = "AMI of the edges. Null: the latest Amazon Linux 2023 from ami_ssm_parameter (the cloud-init script expects dnf and the nodejs20 package)."
  type        = string
  default     = null

  validation {
    condition     = var.ami_id == null || can(regex("^ami-[0-9a-f]{8,17}$", var.ami_id))
    error_message = "ami_id: expected null or an AMI id such as ami-0123456789abcdef0."
  }
}

variable "ami_ssm_parameter" {
  description = "Public SSM parameter holding the AMI id when ami_id is null. Use the arm64 one with Graviton instance types."
  type        = string
  default     = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

variable "instance_type" {
  description = "EC2 instance type of an edge. Network bandwidth is what an edge sells: pick a type whose baseline bandwidth covers capacity.egress_mbps."
  type        = string
  default     = "c6i.large"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.instance_type))
    error_message = "instance_type: expected an EC2 instance type such as c6i.large."
  }
}

variable "viewer_port" {
  description = "Port viewers fetch segments on; the only port opened to viewer_cidrs."
  type        = number
  default     = 80

  validation {
    condition     = var.viewer_port >= 1 && var.viewer_port <= 65535 && floor(var.viewer_port) == var.viewer_port
    error_message = "viewer_port: a whole number between 1 and 65535."
  }
}

variable "viewer_cidrs" {
  description = "IPv4 ranges allowed to reach the viewer port. Default: the whole Internet (it is a CDN)."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = alltrue([for c in var.viewer_cidrs : can(cidrhost(c, 0)) && !strcontains(c, ":")])
    error_message = "viewer_cidrs: each must be an IPv4 CIDR block such as 0.0.0.0/0 or 203.0.113.0/24."
  }
}

variable "viewer_ipv6_cidrs" {
  description = "IPv6 ranges allowed to reach the viewer port."
  type        = list(string)
  default     = ["::/0"]

  validation {
    condition     = alltrue([for c in var.viewer_ipv6_cidrs : can(cidrhost(c, 0)) && strcontains(c, ":")])
    error_message = "viewer_ipv6_cidrs: each must be an IPv6 CIDR block such as ::/0."
  }
}

variable "ssh_cidrs" {
  description = "IPv4 ranges allowed to SSH in. Empty (the default): no SSH rule at all; use SSM Session Manager."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.ssh_cidrs : can(cidrhost(c, 0)) && !strcontains(c, ":") && c != "0.0.0.0/0"])
    error_message = "ssh_cidrs: each must be an IPv4 CIDR block, and not 0.0.0.0/0."
  }
}

variable "assign_public_ip" {
  description = "Give each edge a public IPv4 address (its registry URL uses it)."
  type        = bool
  default     = true
}

variable "key_name" {
  description = "EC2 key pair for SSH, if any."
  type        = string
  default     = null
}

variable "iam_instance_profile" {
  description = "Instance profile name (for SSM Session Manager, CloudWatch agent...), if any."
  type        = string
  default     = null
}

variable "root_volume_gb" {
  description = "Root volume size: the nginx cache lives on it."
  type        = number
  default     = 50

  validation {
    condition     = var.root_volume_gb >= 8 && var.root_volume_gb <= 16384
    error_message = "root_volume_gb: between 8 and 16384."
  }
}

variable "redis_url" {
  description = "Registry Redis the edges heartbeat into: redis:// or rediss:// (TLS), credentials included. Written to a root-only env file on the instance."
  type        = string
  sensitive   = true

  validation {
    # No whitespace or quotes: the value goes unquoted into a systemd EnvironmentFile.
    condition     = can(regex("^rediss?://[^\\s\"'\\\\]+$", var.redis_url))
    error_message = "redis_url: expected redis://... or rediss://... without spaces or quotes."
  }
}

variable "redis_key_prefix" {
  description = "Registry key prefix, the same as the autoscaler's and the rewriter's (redis.keyPrefix)."
  type        = string
  default     = "hlscdn"

  validation {
    condition     = can(regex("^[A-Za-z0-9:_-]+$", var.redis_key_prefix))
    error_message = "redis_key_prefix: letters, digits, \":\", \"_\" and \"-\" only."
  }
}

variable "origin_urls" {
  description = "Origin base URLs the edges pull from; the first is primary, the others backups."
  type        = list(string)

  validation {
    # The edge's nginx proxies to plain HTTP origins (edge.origins in the config schema).
    condition     = length(var.origin_urls) > 0 && alltrue([for u in var.origin_urls : can(regex("^http://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?$", u))])
    error_message = "origin_urls: at least one, each http://host[:port] (no path, no credentials)."
  }
}

variable "signing_secret" {
  description = "Secret shared with the rewriter for signed segment URLs (nginx secure_link). Null: URLs are not checked."
  type        = string
  default     = null
  sensitive   = true

  validation {
    condition     = var.signing_secret == null || can(regex("^[A-Za-z0-9._~+/=:@%!*,^-]{16,}$", var.signing_secret))
    error_message = "signing_secret: at least 16 characters among letters, digits and . _ ~ + / = : @ % ! * , ^ -"
  }
}

variable "hlscdn_package" {
  description = "What `npm install -g` installs: a package name, or a tarball URL of a build."
  type        = string
  default     = "hlscdn"
}

variable "hlscdn_version" {
  description = "Version of hlscdn_package to install (ignored for a tarball URL: use \"\")."
  type        = string
  default     = "0.1.0"

  validation {
    condition     = var.hlscdn_version == "" || can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$", var.hlscdn_version))
    error_message = "hlscdn_version: an exact version such as 0.1.0, or \"\"."
  }
}

variable "capacity" {
  description = "What one edge can take at 100% utilization, as it tells the registry (the autoscaler's denominator)."
  type = object({
    weight      = optional(number, 1)
    egress_mbps = optional(number, 1000)
    connections = optional(number, 10000)
  })
  default = {}

  validation {
    condition     = var.capacity.weight > 0 && var.capacity.egress_mbps > 0 && var.capacity.connections >= 1
    error_message = "capacity: weight and egress_mbps must be > 0, connections >= 1."
  }
}

variable "cache_max_size" {
  description = "nginx cache size (max_size), below the root volume."
  type        = string
  default     = "30g"

  validation {
    condition     = can(regex("^[1-9][0-9]*[kKmMgG]?$", var.cache_max_size))
    error_message = "cache_max_size: an nginx size such as 512m or 30g."
  }
}

variable "drain_timeout_sec" {
  description = "Longest an edge waits for viewers when drained (SIGTERM, or a drain request through the registry)."
  type        = number
  default     = 30

  validation {
    condition     = var.drain_timeout_sec >= 0 && var.drain_timeout_sec <= 3600
    error_message = "drain_timeout_sec: between 0 and 3600."
  }
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}
