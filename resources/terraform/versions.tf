# Version constraints rendered into the generated terraform/versions.tf (read by src/versions.ts).
# 6.21.0 added deployment_configuration.strategy = CANARY on aws_ecs_service.
terraform {
  required_version = ">= 1.11.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.21.0, < 7.0.0"
    }
    # Zips the smoke-test Lambda (terraform/smoke-test.tf).
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.7.0, < 3.0.0"
    }
  }
}
