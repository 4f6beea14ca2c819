package worker_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/internal/testcluster"
	"github.com/zkfleet/zkfleet/internal/testprover"
	pb "github.com/zkfleet/zkfleet/proto/zkfleet/v1"
	"github.com/zkfleet/zkfleet/zkvm/keys"
)

// keySet fills a coordinator key store with a set of random blobs (one
// bigger than a key chunk) and returns the set id and its blob ids.
func keySet(t *testing.T, st *keys.Store) (string, []string) {
	t.Helper()
	m := &keys.Manifest{Version: keys.ManifestVersion, Shape: keys.Shape{CPUSteps: 1, MemRows: 1, TapeBytes: 1, ChunkDepth: 1, ChunkSlots: 1},
		Circuits: map[string]keys.CircuitKeys{}}
	put := func(size int) string {
		b := make([]byte, size)
		rand.Read(b)
		id, err := st.PutBlob(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	for i, k := range keys.Kinds {
		size := 1000 + i
		if i == 0 {
			size = 3<<20 + 17 // several chunks
		}
		m.Circuits[k] = keys.CircuitKeys{CCS: put(size), PK: put(size + 1), VK: put(size + 2)}
	}
	setID, err := st.PutManifest(m)
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := st.SetBlobs(setID)
	if err != nil {
		t.Fatal(err)
	}
	return setID, blobs
}

func TestKeyFetchAndCache(t *testing.T) {
	src, err := keys.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	setID, blobs := keySet(t, src)
	be := &testprover.Backend{KeySet: setID}
	c := testcluster.Start(t, testcluster.Options{Backend: be, KeySetID: setID, KeyBlobs: blobs, Keys: src})
	cacheDir := t.TempDir()
	cache, err := keys.Open(cacheDir)
	if err != nil {
		t.Fatal(err)
	}
	w := c.AddWorkerWith("a", 2, testcluster.WorkerOptions{Keys: cache})
	id, err := c.Submit(context.Background(), testprover.Program(4), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	j, err := c.Wait(ctx, id)
	if err != nil || j.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("job: %v %v", j, err)
	}
	for _, b := range blobs {
		if !cache.Has(b) {
			t.Fatalf("blob %s not cached", b)
		}
	}
	if got := testutilCounter(w.W.Metrics().KeyMisses); got != float64(len(blobs)) {
		t.Fatalf("first start: %v misses, want %d", got, len(blobs))
	}
	c.Kill("a")

	// A second start with the same cache fetches nothing.
	w2 := c.AddWorkerWith("a", 2, testcluster.WorkerOptions{Keys: cache})
	testcluster.WaitFor(t, 10*time.Second, "worker registered", func() bool { return c.Workers() == 1 })
	testcluster.WaitFor(t, 10*time.Second, "key check", func() bool {
		return testutilCounter(w2.W.Metrics().KeyHits) == float64(len(blobs))
	})
	if got := testutilCounter(w2.W.Metrics().KeyMisses); got != 0 {
		t.Fatalf("second start fetched %v blobs", got)
	}
	if c.Coord.Metrics() == nil {
		t.Fatal("no metrics")
	}
}

// TestKeyFetchSharedSet: two kinds announced under one key set (the
// Groth16 prover's RISC-V and rollup kinds) make the worker fetch each blob
// once, and it becomes ready.
func TestKeyFetchSharedSet(t *testing.T) {
	src, err := keys.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	setID, blobs := keySet(t, src)
	be := &testprover.Backend{KeySet: setID}
	c := testcluster.Start(t, testcluster.Options{Backend: be, KeySetID: setID, KeyBlobs: blobs, Keys: src, SharedKinds: []string{"rollup"}})
	cache, err := keys.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w := c.AddWorkerWith("a", 2, testcluster.WorkerOptions{Keys: cache})
	id, err := c.Submit(context.Background(), testprover.Program(4), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	j, err := c.Wait(ctx, id)
	if err != nil || j.State != pb.JobState_JOB_STATE_COMPLETED {
		t.Fatalf("job: %v %v", j, err)
	}
	if got := testutilCounter(w.W.Metrics().KeyMisses); got != float64(len(blobs)) {
		t.Fatalf("%v key misses for %d blobs shared by two kinds", got, len(blobs))
	}
}
