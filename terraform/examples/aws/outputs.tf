output "edge_urls" {
  description = "Viewer base URL of each edge, by name; the terraform actuator reads this."
  value       = module.edges.edge_urls
}

output "instance_ids" {
  value = module.edges.instance_ids
}
