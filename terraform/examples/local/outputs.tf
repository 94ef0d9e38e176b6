output "edge_urls" {
  description = "Viewer base URL of each edge, by name; the terraform actuator reads this."
  value       = { for name, edge in terraform_data.edge : name => edge.input.url }
}
