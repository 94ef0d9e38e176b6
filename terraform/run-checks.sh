#!/usr/bin/env bash
# Offline checks of the Terraform code: fmt, then init (no backend) + validate of the
# module and both examples, then `terraform test` of modules/edge-fleet against a
# mocked AWS provider. Nothing is downloaded: providers come from a local filesystem
# mirror (TF_PLUGIN_MIRROR, default /opt/tf-plugins) through a CLI config written
# here. The checks run on a copy of terraform/, so no .terraform directory or lock
# file lands in the source tree. Skipped (exit 0) when terraform is not installed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
terraform_bin="${TERRAFORM:-terraform}"
mirror="${TF_PLUGIN_MIRROR:-/opt/tf-plugins}"

if ! command -v "$terraform_bin" >/dev/null 2>&1; then
  echo "terraform checks: skipped (terraform is not installed)"
  exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/hlscdn-terraform-checks.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Providers only from the mirror: an offline machine must never try the registry.
cat >"$work/cli.tfrc" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
EOF
export TF_CLI_CONFIG_FILE="$work/cli.tfrc"
export TF_IN_AUTOMATION=1
export TF_INPUT=0
export CHECKPOINT_DISABLE=1

echo "terraform checks: $("$terraform_bin" version | head -n 1), providers from $mirror"

echo "terraform checks: fmt"
"$terraform_bin" fmt -check -recursive -diff "$here"

cp -R "$here" "$work/terraform"
find "$work/terraform" \( -name .terraform -o -name .terraform.lock.hcl -o -name '*.tfstate*' -o -name .edges \) -prune -exec rm -rf {} +

for dir in modules/edge-fleet examples/aws examples/local; do
  echo "terraform checks: validate $dir"
  (
    cd "$work/terraform/$dir"
    "$terraform_bin" init -backend=false -input=false -no-color >"$work/init.log" 2>&1 || {
      cat "$work/init.log"
      exit 1
    }
    "$terraform_bin" validate -no-color
  )
done

echo "terraform checks: test modules/edge-fleet"
(cd "$work/terraform/modules/edge-fleet" && "$terraform_bin" test -no-color)

echo "terraform checks: ok"
