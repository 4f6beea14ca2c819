#!/bin/sh
# Regenerates the Go code of proto/zkfleet/v1. Needs protoc (apt:
# protobuf-compiler), protoc-gen-go and protoc-gen-go-grpc on PATH:
#   go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
#   go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.0
set -eu
cd "$(dirname "$0")/.."
PATH="$PATH:$(go env GOPATH)/bin"
protoc -I proto \
  --go_out=. --go_opt=module=github.com/zkfleet/zkfleet \
  --go-grpc_out=. --go-grpc_opt=module=github.com/zkfleet/zkfleet \
  proto/zkfleet/v1/client.proto proto/zkfleet/v1/worker.proto
