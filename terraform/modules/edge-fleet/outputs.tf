output "edge_urls" {
  description = "Viewer base URL of each edge, by name (the URL it registers under)."
  value       = { for name, instance in aws_instance.edge : name => "http://${instance.public_ip != "" ? instance.public_ip : instance.private_ip}${local.port_suffix}" }
}

output "instance_ids" {
  description = "EC2 instance id of each edge, by name."
  value       = { for name, instance in aws_instance.edge : name => instance.id }
}

output "edge_subnets" {
  description = "Subnet of each edge, by name (stable: chosen from a hash of the name)."
  value       = local.subnet_by_edge
}

output "security_group_id" {
  description = "Security group of the edges (viewer port only)."
  value       = aws_security_group.edge.id
}

output "launch_template_id" {
  description = "Launch template the edges start from."
  value       = aws_launch_template.edge.id
}
