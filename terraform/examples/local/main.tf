# The edge fleet without a cloud: each edge is a detached `hlscdn edge` process on
# this machine, created and destroyed by Terraform. It exercises the autoscaler's
# terraform actuator for real on one machine: the actuator writes edge_names into
# edges.auto.tfvars.json and applies; a new name starts an edge
# (scripts/start-edge.sh), a removed name stops exactly that edge (scripts/stop-edge.sh,
# SIGTERM: the edge drains, then exits).

locals {
  data_dir    = abspath(var.data_dir != null ? var.data_dir : "${path.root}/.edges")
  working_dir = var.working_dir != null ? abspath(var.working_dir) : local.data_dir
  scripts     = abspath("${path.module}/scripts")

  edges = {
    for name in var.edge_names : name => {
      port = var.base_port + tonumber(regex("[0-9]+$", name))
    }
  }
}

resource "terraform_data" "edge" {
  for_each = local.edges

  # A new port or command means a new process.
  triggers_replace = [each.value.port, var.hlscdn_command, var.host]

  # Destroy-time provisioners may only read self: everything stop-edge.sh needs is here.
  input = {
    id               = each.key
    port             = each.value.port
    url              = "http://${var.host}:${each.value.port}"
    pid_file         = "${local.data_dir}/${each.key}.pid"
    scripts          = local.scripts
    stop_timeout_sec = var.stop_timeout_sec
  }

  provisioner "local-exec" {
    interpreter = ["bash"]
    command     = "${local.scripts}/start-edge.sh"
    environment = merge(var.extra_env, {
      EDGE_ID           = each.key
      EDGE_HOST         = var.host
      EDGE_PORT         = tostring(each.value.port)
      EDGE_DATA_DIR     = "${local.data_dir}/${each.key}"
      EDGE_WORKDIR      = local.working_dir
      PID_FILE          = "${local.data_dir}/${each.key}.pid"
      LOG_FILE          = "${local.data_dir}/${each.key}.log"
      START_TIMEOUT_SEC = tostring(var.start_timeout_sec)
      HLSCDN_COMMAND    = join("\n", var.hlscdn_command)
      # The scripts never print it; left sensitive, it would make Terraform hide
      # their whole output, the reason of a failed start included.
      REDIS_URL               = nonsensitive(var.redis_url)
      HLSCDN_REDIS_KEY_PREFIX = var.redis_key_prefix
      HLSCDN_EDGE_ORIGINS     = join(",", var.origin_urls)
    })
  }

  provisioner "local-exec" {
    when        = destroy
    interpreter = ["bash"]
    command     = "${self.input.scripts}/stop-edge.sh"
    environment = {
      EDGE_ID          = self.input.id
      PID_FILE         = self.input.pid_file
      STOP_TIMEOUT_SEC = tostring(self.input.stop_timeout_sec)
    }
  }
}
