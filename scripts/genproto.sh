#!/bin/sh
# Regenerates the Go code of proto/zkfleet/v1. Needs protoc (apt:
# protobuf-compiler), protoc-gen-go and protoc-gen-go-grpc on PATH:
#   go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
#   go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.0
# With an argument, writes into that directory instead of the tree
# (.ci/run compares the two to check the checked-in code is up to date).
set -eu
cd "$(dirname "$0")/.."
out="${1:-.}"
PATH="$PATH:$(go env GOPATH)/bin"
protoc -I proto \
  --go_out="$out" --go_opt=module=github.com/zkfleet/zkfleet \
  --go-grpc_out="$out" --go-grpc_opt=module=github.com/zkfleet/zkfleet \
  proto/zkfleet/v1/client.proto proto/zkfleet/v1/worker.proto
