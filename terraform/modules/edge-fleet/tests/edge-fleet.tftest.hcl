# Plans the module offline against a mocked AWS provider (Terraform >= 1.7):
# the rendered cloud-init, the security rules, the outputs, and refused variables.
# Run by terraform/run-checks.sh.

mock_provider "aws" {
  mock_data "aws_ssm_parameter" {
    defaults = {
      insecure_value = "ami-0a1b2c3d4e5f60718"
    }
  }
}

variables {
  name           = "cdn"
  edge_names     = ["edge-1", "edge-2", "edge-3"]
  vpc_id         = "vpc-0123456789abcdef0"
  subnet_ids     = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
  redis_url      = "rediss://edge:s3cret-pass@registry.internal:6380"
  origin_urls    = ["http://origin-a.internal:8080", "http://origin-b.internal:8080"]
  signing_secret = "0123456789abcdef-signing"
}

run "cloud_init_runs_the_edge_against_the_registry" {
  command = plan

  assert {
    condition     = strcontains(base64decode(aws_launch_template.edge.user_data), "ExecStart=/usr/bin/env hlscdn edge")
    error_message = "the systemd unit must run `hlscdn edge`"
  }
  assert {
    condition     = strcontains(base64decode(aws_launch_template.edge.user_data), "REDIS_URL=rediss://edge:s3cret-pass@registry.internal:6380\n")
    error_message = "the env file must carry the registry URL"
  }
  assert {
    condition     = strcontains(base64decode(aws_launch_template.edge.user_data), "HLSCDN_EDGE_ORIGINS=http://origin-a.internal:8080,http://origin-b.internal:8080\n")
    error_message = "the env file must list the origins, comma-separated"
  }
  assert {
    condition     = strcontains(base64decode(aws_launch_template.edge.user_data), "      HLSCDN_SIGNING_SECRET=0123456789abcdef-signing\n")
    error_message = "the signing secret must be in the env file, indented inside the YAML block"
  }
  assert {
    condition     = strcontains(base64decode(aws_launch_template.edge.user_data), "\"hlscdn@0.1.0\"")
    error_message = "cloud-init must install the pinned hlscdn version"
  }
  assert {
    condition     = startswith(base64decode(aws_launch_template.edge.user_data), "#cloud-config\n")
    error_message = "user data must be a cloud-config document"
  }
  assert {
    condition     = [for f in yamldecode(base64decode(aws_launch_template.edge.user_data)).write_files : f.path] == ["/etc/hlscdn/edge.env", "/usr/local/libexec/hlscdn-edge-identity", "/etc/systemd/system/hlscdn-edge-identity.service", "/etc/systemd/system/hlscdn-edge.service"]
    error_message = "the rendered cloud-init must be valid YAML writing the env file, the identity script and both units"
  }
  assert {
    condition     = [for f in yamldecode(base64decode(aws_launch_template.edge.user_data)).write_files : f.permissions if f.path == "/etc/hlscdn/edge.env"] == ["0600"]
    error_message = "the env file holds secrets: root-only"
  }
  assert {
    condition     = aws_launch_template.edge.image_id == "ami-0a1b2c3d4e5f60718"
    error_message = "without ami_id the AMI comes from the SSM parameter"
  }
  assert {
    condition     = aws_launch_template.edge.metadata_options[0].http_tokens == "required" && aws_launch_template.edge.metadata_options[0].instance_metadata_tags == "enabled"
    error_message = "IMDSv2 only, with tags readable (the edge id comes from a tag)"
  }
}

run "no_signing_secret_means_no_secret_line" {
  command = plan

  variables {
    signing_secret = null
  }

  assert {
    condition     = !strcontains(base64decode(aws_launch_template.edge.user_data), "HLSCDN_SIGNING_SECRET")
    error_message = "no signing secret line without a secret"
  }
}

run "only_the_viewer_port_is_open" {
  command = plan

  variables {
    viewer_port = 8081
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.viewer_ipv4["0.0.0.0/0"].from_port == 8081 && aws_vpc_security_group_ingress_rule.viewer_ipv4["0.0.0.0/0"].to_port == 8081
    error_message = "the viewer port must be open to the whole IPv4 Internet by default"
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.viewer_ipv6["::/0"].from_port == 8081 && aws_vpc_security_group_ingress_rule.viewer_ipv6["::/0"].ip_protocol == "tcp"
    error_message = "the viewer port must be open over IPv6 by default"
  }
  assert {
    condition = alltrue(concat(
      [for rule in aws_vpc_security_group_ingress_rule.viewer_ipv4 : rule.from_port == 8081 && rule.to_port == 8081],
      [for rule in aws_vpc_security_group_ingress_rule.viewer_ipv6 : rule.from_port == 8081 && rule.to_port == 8081],
    ))
    error_message = "no viewer rule may open another port (the agent and status ports stay loopback-only)"
  }
  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.ssh) == 0
    error_message = "no SSH rule unless ssh_cidrs is set"
  }
}

run "ssh_only_from_the_given_ranges" {
  command = plan

  variables {
    ssh_cidrs    = ["198.51.100.0/24"]
    viewer_cidrs = ["203.0.113.0/24"]
  }

  assert {
    condition     = keys(aws_vpc_security_group_ingress_rule.ssh) == ["198.51.100.0/24"] && aws_vpc_security_group_ingress_rule.ssh["198.51.100.0/24"].from_port == 22
    error_message = "SSH must be open to ssh_cidrs only"
  }
  assert {
    condition     = keys(aws_vpc_security_group_ingress_rule.viewer_ipv4) == ["203.0.113.0/24"]
    error_message = "viewer_cidrs replaces the open-to-all default"
  }
}

run "one_instance_per_name_on_a_stable_subnet" {
  command = plan

  assert {
    condition     = keys(aws_instance.edge) == ["edge-1", "edge-2", "edge-3"]
    error_message = "one instance per edge name, keyed by name"
  }
  assert {
    condition     = alltrue([for name, instance in aws_instance.edge : contains(var.subnet_ids, instance.subnet_id) && instance.tags["hlscdn-edge-id"] == name])
    error_message = "each instance sits in one of the subnets and carries its edge id tag"
  }
  assert {
    condition     = output.edge_subnets == { "edge-1" = var.subnet_ids[1], "edge-2" = var.subnet_ids[0], "edge-3" = var.subnet_ids[1] }
    error_message = "edges <prefix>-<n> go round-robin over the subnets by their number"
  }
}

run "removing_a_name_keeps_the_others_where_they_are" {
  command = plan

  variables {
    edge_names = ["edge-1", "edge-3"]
  }

  assert {
    condition     = output.edge_subnets == { for name in ["edge-1", "edge-3"] : name => run.one_instance_per_name_on_a_stable_subnet.edge_subnets[name] }
    error_message = "an edge's subnet must not depend on the other names"
  }
}

run "outputs_give_each_edge_url_by_name" {
  command = plan

  override_resource {
    target          = aws_instance.edge
    override_during = plan
    values = {
      id         = "i-0123456789abcdef0"
      public_ip  = "203.0.113.7"
      private_ip = "10.0.1.7"
    }
  }

  assert {
    condition     = output.edge_urls == { "edge-1" = "http://203.0.113.7", "edge-2" = "http://203.0.113.7", "edge-3" = "http://203.0.113.7" }
    error_message = "edge_urls must map every name to http://<public ip> (port 80 implied)"
  }
  assert {
    condition     = output.instance_ids["edge-2"] == "i-0123456789abcdef0"
    error_message = "instance_ids must map names to instance ids"
  }
}

run "refuses_bad_edge_names" {
  command = plan

  variables {
    edge_names = ["Edge_1"]
  }

  expect_failures = [var.edge_names]
}

run "refuses_duplicate_edge_names" {
  command = plan

  variables {
    edge_names = ["edge-1", "edge-1"]
  }

  expect_failures = [var.edge_names]
}

run "refuses_a_port_out_of_range" {
  command = plan

  variables {
    viewer_port = 70000
  }

  expect_failures = [var.viewer_port]
}

run "refuses_a_bad_cidr" {
  command = plan

  variables {
    viewer_cidrs = ["10.0.0.0/33"]
  }

  expect_failures = [var.viewer_cidrs]
}

run "refuses_ssh_from_everywhere" {
  command = plan

  variables {
    ssh_cidrs = ["0.0.0.0/0"]
  }

  expect_failures = [var.ssh_cidrs]
}

run "refuses_a_non_redis_url" {
  command = plan

  variables {
    redis_url = "http://registry.internal:6379"
  }

  expect_failures = [var.redis_url]
}

run "refuses_an_https_origin_the_edge_cannot_proxy_to" {
  command = plan

  variables {
    origin_urls = ["https://origin.example.com"]
  }

  expect_failures = [var.origin_urls]
}

run "refuses_a_short_signing_secret" {
  command = plan

  variables {
    signing_secret = "short"
  }

  expect_failures = [var.signing_secret]
}
