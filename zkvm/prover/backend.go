// Package prover is the real proof system of the RISC-V kind: the
// emulator, the leaf circuits and the fold circuit behind the
// engine.Backend interface (the boundary the cluster sees; see package
// engine). JobSpec, Plan and Backend are the engine's types under their
// historical names.
package prover

import "github.com/zkfleet/zkfleet/engine"

// JobSpec is engine.Spec: everything needed to regenerate any leaf of a job.
type JobSpec = engine.Spec

// Plan is engine.Plan: the result of executing a job without proving it.
type Plan = engine.Plan

// Backend is engine.Backend.
type Backend = engine.Backend
