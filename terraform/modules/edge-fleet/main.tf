# An hlscdn edge fleet on AWS: one EC2 instance per name in var.edge_names, all
# from one launch template whose cloud-init installs nginx, Node.js 20 and hlscdn
# and runs `hlscdn edge` under systemd. Instances are keyed by name (for_each), not
# counted, so removing a name destroys exactly that edge: the autoscaler chooses
# which one goes and drains it first.

data "aws_ssm_parameter" "ami" {
  count = var.ami_id == null ? 1 : 0
  name  = var.ami_ssm_parameter
}

locals {
  ami_id = var.ami_id != null ? var.ami_id : data.aws_ssm_parameter.ami[0].insecure_value

  # Rendered once for the launch template; per-edge facts (id, zone, public URL)
  # are read from instance metadata at boot (hlscdn-edge-identity in the template).
  cloud_init = templatefile("${path.module}/templates/cloud-init.yaml.tftpl", {
    redis_url         = var.redis_url
    redis_key_prefix  = var.redis_key_prefix
    origins           = join(",", var.origin_urls)
    signing_secret    = var.signing_secret == null ? "" : var.signing_secret
    viewer_port       = var.viewer_port
    capacity_weight   = var.capacity.weight
    egress_mbps       = var.capacity.egress_mbps
    connections       = var.capacity.connections
    cache_max_size    = var.cache_max_size
    drain_timeout_sec = var.drain_timeout_sec
    # systemd waits for the drain before it kills the service.
    stop_timeout_sec = var.drain_timeout_sec + 30
    npm_spec         = var.hlscdn_version == "" ? var.hlscdn_package : "${var.hlscdn_package}@${var.hlscdn_version}"
  })

  # A stable subnet per name, from the name alone (not its position in the list),
  # so adding or removing other edges never moves (replaces) this one. The
  # autoscaler names edges <prefix>-<n> with n the smallest free number, so the
  # number spreads them round-robin over the subnets; other names use a hash.
  edge_slot = {
    for name in var.edge_names : name => (
      can(regex("[0-9]+$", name)) ? tonumber(regex("[0-9]+$", name)) : parseint(substr(sha256(name), 0, 8), 16)
    )
  }
  subnet_by_edge = { for name, slot in local.edge_slot : name => var.subnet_ids[slot % length(var.subnet_ids)] }

  port_suffix = var.viewer_port == 80 ? "" : ":${var.viewer_port}"
  common_tags = merge(var.tags, { "hlscdn:component" = "edge" })
}

resource "aws_security_group" "edge" {
  name_prefix = "${var.name}-edge-"
  description = "hlscdn edges: viewer port open, agent and nginx status ports loopback-only"
  vpc_id      = var.vpc_id
  tags        = merge(local.common_tags, { Name = "${var.name}-edge" })

  lifecycle {
    create_before_destroy = true
  }
}

# The viewer port is the only inbound port: the agent's HTTP server and nginx's
# stub_status listen on 127.0.0.1 and get no rule.
resource "aws_vpc_security_group_ingress_rule" "viewer_ipv4" {
  for_each          = toset(var.viewer_cidrs)
  security_group_id = aws_security_group.edge.id
  description       = "viewers"
  ip_protocol       = "tcp"
  from_port         = var.viewer_port
  to_port           = var.viewer_port
  cidr_ipv4         = each.value
}

resource "aws_vpc_security_group_ingress_rule" "viewer_ipv6" {
  for_each          = toset(var.viewer_ipv6_cidrs)
  security_group_id = aws_security_group.edge.id
  description       = "viewers"
  ip_protocol       = "tcp"
  from_port         = var.viewer_port
  to_port           = var.viewer_port
  cidr_ipv6         = each.value
}

resource "aws_vpc_security_group_ingress_rule" "ssh" {
  for_each          = toset(var.ssh_cidrs)
  security_group_id = aws_security_group.edge.id
  description       = "operators"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = each.value
}

# Out: the origin, Redis, package repositories.
resource "aws_vpc_security_group_egress_rule" "all_ipv4" {
  security_group_id = aws_security_group.edge.id
  description       = "origin, registry, packages"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "all_ipv6" {
  security_group_id = aws_security_group.edge.id
  description       = "origin, registry, packages"
  ip_protocol       = "-1"
  cidr_ipv6         = "::/0"
}

resource "aws_launch_template" "edge" {
  name_prefix            = "${var.name}-edge-"
  description            = "hlscdn edge: nginx cache + registry agent"
  image_id               = local.ami_id
  instance_type          = var.instance_type
  key_name               = var.key_name
  vpc_security_group_ids = [aws_security_group.edge.id]
  user_data              = base64encode(local.cloud_init)
  update_default_version = true

  metadata_options {
    http_endpoint = "enabled"
    # IMDSv2 only; tags in metadata carry the edge id to the instance.
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "enabled"
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size           = var.root_volume_gb
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  dynamic "iam_instance_profile" {
    for_each = var.iam_instance_profile == null ? [] : [var.iam_instance_profile]
    content {
      name = iam_instance_profile.value
    }
  }

  tag_specifications {
    resource_type = "volume"
    tags          = local.common_tags
  }

  tags = local.common_tags
}

resource "aws_instance" "edge" {
  for_each = toset(var.edge_names)

  subnet_id                   = local.subnet_by_edge[each.key]
  associate_public_ip_address = var.assign_public_ip

  launch_template {
    id      = aws_launch_template.edge.id
    version = aws_launch_template.edge.latest_version
  }

  # "hlscdn-edge-id" is read back through instance metadata (no "/" allowed in such keys).
  tags = merge(local.common_tags, {
    Name             = "${var.name}-${each.key}"
    "hlscdn-edge-id" = each.key
  })

  lifecycle {
    # A new template version (new hlscdn version, new settings) applies to edges
    # launched from then on; running ones are not replaced behind the autoscaler's
    # back. Roll a fleet by letting the autoscaler replace edges, or taint them.
    ignore_changes = [launch_template, user_data, ami]
  }
}
