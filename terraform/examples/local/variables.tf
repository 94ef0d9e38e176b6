variable "edge_names" {
  description = "Written by the autoscaler's terraform actuator (edges.auto.tfvars.json). Names end in a number n; edge n listens on base_port + n."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for n in var.edge_names : can(regex("^[a-z][a-z0-9-]{0,40}-[0-9]{1,4}$", n))])
    error_message = "edge_names: each must look like <prefix>-<n>, e.g. edge-1 (lowercase, the number picks the port)."
  }

  validation {
    condition     = length(distinct(var.edge_names)) == length(var.edge_names)
    error_message = "edge_names: names must be unique."
  }
}

variable "base_port" {
  description = "Edge <prefix>-<n> listens on base_port + n."
  type        = number
  default     = 18100

  validation {
    condition     = var.base_port >= 1024 && var.base_port <= 55000
    error_message = "base_port: between 1024 and 55000 (edge numbers go up to 9999)."
  }
}

variable "host" {
  description = "Address the edges listen on."
  type        = string
  default     = "127.0.0.1"
}

variable "origin_urls" {
  description = "Origin base URLs the edges pull from."
  type        = list(string)
  default     = ["http://127.0.0.1:8080"]

  validation {
    condition     = length(var.origin_urls) > 0 && alltrue([for u in var.origin_urls : can(regex("^http://[^,\\s]+$", u))])
    error_message = "origin_urls: at least one http:// URL."
  }
}

variable "redis_url" {
  description = "The registry the edges heartbeat into."
  type        = string
  sensitive   = true

  validation {
    condition     = can(regex("^rediss?://", var.redis_url))
    error_message = "redis_url: expected redis://... or rediss://..."
  }
}

variable "redis_key_prefix" {
  type    = string
  default = "hlscdn"
}

variable "data_dir" {
  description = "Where each edge keeps its cache, logs, pid file and output. Null: .edges beside this configuration."
  type        = string
  default     = null
}

variable "hlscdn_command" {
  description = "argv that runs hlscdn, e.g. [\"hlscdn\"] or [\"node\", \"/path/to/bin/hlscdn.js\"]."
  type        = list(string)
  default     = ["hlscdn"]

  validation {
    condition     = length(var.hlscdn_command) > 0 && alltrue([for a in var.hlscdn_command : !strcontains(a, "\n")])
    error_message = "hlscdn_command: at least one element, none containing a newline."
  }
}

variable "working_dir" {
  description = "Directory the edges are started in (relative paths in hlscdn_command, `node --import tsx` from sources). Null: data_dir."
  type        = string
  default     = null
}

variable "extra_env" {
  description = "More environment for the edges, e.g. { HLSCDN_EDGE_CAPACITY_CONNECTIONS = \"100\" }."
  type        = map(string)
  default     = {}
}

variable "start_timeout_sec" {
  description = "Longest wait for a new edge's nginx to answer."
  type        = number
  default     = 60
}

variable "stop_timeout_sec" {
  description = "Longest wait for a stopped edge to drain and exit before SIGKILL."
  type        = number
  default     = 60
}
