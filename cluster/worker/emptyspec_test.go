package worker

import (
	"context"
	"testing"

	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
)

// TestAssignWithoutSpec: the coordinator sends a job's spec once per
// worker; a later Assign carries an empty spec. A worker that no longer
// has the job answers each leaf with a transient TaskFailed (the
// coordinator sends them again with the spec) instead of running the
// task on an empty program.
func TestAssignWithoutSpec(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := newSession(ctx, cancel, &Worker{slots: make(chan struct{}, 1)}, 0, nil, nil)
	if err := s.handle(&pb.CoordinatorMessage{Msg: &pb.CoordinatorMessage_Assign{Assign: &pb.Assign{
		JobId: "j", Phase: pb.TaskPhase_TASK_PHASE_CONTRIBUTE, Leaves: []uint32{1, 2}, Spec: &pb.JobSpec{}}}}); err != nil {
		t.Fatal(err)
	}
	for _, leaf := range []uint32{1, 2} {
		f := (<-s.out).GetTaskFailed()
		if f == nil || f.JobId != "j" || f.Node != leaf || f.Permanent || f.Phase != pb.TaskPhase_TASK_PHASE_CONTRIBUTE {
			t.Fatalf("answer for leaf %d: %v", leaf, f)
		}
	}
	if jt, _ := s.job("j", nil); jt != nil {
		t.Fatal("an Assign without spec created the job")
	}
}
