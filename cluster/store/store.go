// Package store persists the coordinator's programs, jobs and proofs in a
// bbolt file under --data-dir, so a restarted coordinator still serves
// completed proofs and re-queues interrupted jobs.
package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/zkfleet/zkfleet/engine"
)

var (
	bucketPrograms = []byte("programs")
	bucketJobs     = []byte("jobs")
	bucketProofs   = []byte("proofs")
	// Inputs and outputs are written once each, apart from the small job
	// record that changes at every transition.
	bucketInputs  = []byte("inputs")
	bucketOutputs = []byte("outputs")
	// bucketQuarantine keeps records that could not be decoded, keyed by
	// "<bucket>/<key>", out of the way of startup but still on disk.
	bucketQuarantine = []byte("quarantine")
)

// ErrNotFound is returned for a missing program, job or proof.
var ErrNotFound = errors.New("not found")

// Job is the persisted form of a job: enough to re-run it (program id,
// limits; the input is stored apart, once, by PutInput) and to answer
// queries after a restart. It stays small: it is rewritten at every
// transition.
type Job struct {
	ID        string `json:"id"`
	Kind      string `json:"kind,omitempty"` // "" = riscv
	ProgramID string `json:"program_id"`
	Tenant    string `json:"tenant,omitempty"` // owner ("" = the operator's)
	// Input and Output are read from records written before inputs and
	// outputs moved to buckets of their own; new records leave them empty.
	Input             []byte    `json:"input,omitempty"`
	MaxCycles         uint64    `json:"max_cycles"`
	RequestedCapacity uint32    `json:"requested_capacity"`
	State             int32     `json:"state"` // zkfleetv1.JobState
	Error             string    `json:"error,omitempty"`
	Created           time.Time `json:"created"`
	Finished          time.Time `json:"finished,omitzero"`
	Attempt           uint32    `json:"attempt"`
	Leaves            uint32    `json:"leaves"`
	Cycles            uint64    `json:"cycles"`
	ExitCode          uint32    `json:"exit_code"`
	Output            []byte    `json:"output,omitempty"`
	// OutputStored: the plan's output is in the outputs bucket.
	OutputStored bool `json:"output_stored,omitempty"`
	// Pruned: retention deleted the job's input, output and proof; the
	// record stays so the job's outcome remains queryable and its id is
	// never reused.
	Pruned bool    `json:"pruned,omitempty"`
	Events []Event `json:"events,omitempty"`
	// The plan beyond the RISC-V statement: its key set, prover, phases,
	// fold tree (nil: the canonical one) and statement summary.
	KeySet         string        `json:"key_set,omitempty"`
	Mock           bool          `json:"mock,omitempty"`
	NoContribution bool          `json:"no_contribution,omitempty"`
	Tree           []engine.Node `json:"tree,omitempty"`
	Summary        []Field       `json:"summary,omitempty"`
	// The post-proof phases the job asked for (attest, …) and the result
	// of each that ran.
	PostProof []string          `json:"post_proof,omitempty"`
	Results   map[string][]byte `json:"results,omitempty"`
}

// Field is one line of a plan's statement summary.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Event is a persisted job event (state transitions only; per-leaf
// progress is not worth a disk write).
type Event struct {
	Kind    string    `json:"kind"`
	Message string    `json:"message,omitempty"`
	Time    time.Time `json:"time"`
}

// Store is a bbolt database; safe for concurrent use.
type Store struct{ db *bolt.DB }

// ErrCorrupt is returned by Open for a data file bbolt cannot use safely
// (truncated, overwritten, or failing its consistency check). The
// coordinator refuses to start on it rather than serve from a damaged
// store: the operator restores a backup or moves the file aside.
var ErrCorrupt = errors.New("corrupt data file")

// FileName is the database file inside the data dir.
const FileName = "coordinator.db"

// Open opens (creating) dir/coordinator.db. A damaged file is refused
// with ErrCorrupt, never a panic: bbolt panics on some malformed pages,
// so opening and the full consistency check (every page is read once,
// a cost paid at startup only) run under recover.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	path := filepath.Join(dir, FileName)
	db, err := openChecked(path)
	if err != nil {
		return nil, err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketPrograms, bucketJobs, bucketProofs, bucketQuarantine, bucketInputs, bucketOutputs} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: init: %w", err)
	}
	return &Store{db: db}, nil
}

// openChecked opens path with bbolt and runs its consistency check,
// turning a panic or a check failure into ErrCorrupt. (A panic inside
// bolt.Open may leave the file descriptor open; the caller is expected to
// exit on this error.)
func openChecked(path string) (db *bolt.DB, err error) {
	corrupt := func(why any) error {
		return fmt.Errorf("store: %s: %w: %v (restore a backup, or move the file aside to start empty)", path, ErrCorrupt, why)
	}
	defer func() {
		if r := recover(); r != nil {
			if db != nil {
				db.Close()
			}
			db, err = nil, corrupt(r)
		}
	}()
	if err := precheck(path); err != nil {
		return nil, corrupt(err)
	}
	// A fault reading the mapping panics (and is recovered) instead of
	// killing the process, for this goroutine.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		var pathErr *fs.PathError
		switch {
		case errors.Is(err, bolterrors.ErrTimeout):
			return nil, fmt.Errorf("store: %s is locked by another process (another coordinator on this data dir?): %w", path, err)
		case errors.As(err, &pathErr):
			return nil, fmt.Errorf("store: open %s: %w", path, err)
		}
		// Bad meta pages, a version mismatch, a file too small to hold them.
		return nil, corrupt(err)
	}
	var problems []error
	err = db.View(func(tx *bolt.Tx) error {
		for e := range tx.Check() {
			if len(problems) < 5 {
				problems = append(problems, e)
			}
		}
		return nil
	})
	if err == nil && len(problems) > 0 {
		err = errors.Join(problems...)
	}
	if err != nil {
		db.Close()
		return nil, corrupt(err)
	}
	return db, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// PutProgram stores an ELF under id; it reports whether it already existed.
func (s *Store) PutProgram(id string, elf []byte) (existed bool, err error) {
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPrograms)
		if b.Get([]byte(id)) != nil {
			existed = true
			return nil
		}
		return b.Put([]byte(id), elf)
	})
	if err != nil {
		return false, fmt.Errorf("store: put program: %w", err)
	}
	return existed, nil
}

// Program returns the ELF stored under id.
func (s *Store) Program(id string) ([]byte, error) {
	var elf []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketPrograms).Get([]byte(id))
		if v == nil {
			return fmt.Errorf("program %s: %w", id, ErrNotFound)
		}
		elf = append([]byte(nil), v...)
		return nil
	})
	return elf, err
}

// PutJob writes a job record.
func (s *Store) PutJob(j *Job) error {
	data, err := json.Marshal(j)
	if err != nil {
		return fmt.Errorf("store: encode job: %w", err)
	}
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketJobs).Put([]byte(j.ID), data) }); err != nil {
		return fmt.Errorf("store: put job: %w", err)
	}
	return nil
}

// Quarantined is a record that could not be decoded: it was moved to the
// quarantine bucket (kept on disk for inspection) instead of stopping
// startup.
type Quarantined struct {
	Key string // "<bucket>/<key>"
	Err error
}

// Jobs returns every stored job, ordered by id. Records that do not
// decode are moved to the quarantine bucket and reported in bad; the
// rest load.
func (s *Store) Jobs() (jobs []*Job, bad []Quarantined, err error) {
	var badKeys [][]byte
	err = s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketJobs).ForEach(func(k, v []byte) error {
			var j Job
			if err := json.Unmarshal(v, &j); err != nil {
				badKeys = append(badKeys, append([]byte(nil), k...))
				bad = append(bad, Quarantined{Key: string(bucketJobs) + "/" + string(k), Err: err})
				return nil
			}
			if j.ID != string(k) {
				badKeys = append(badKeys, append([]byte(nil), k...))
				bad = append(bad, Quarantined{Key: string(bucketJobs) + "/" + string(k), Err: fmt.Errorf("record names job %q", j.ID)})
				return nil
			}
			jobs = append(jobs, &j)
			return nil
		})
	})
	if err != nil {
		return nil, nil, fmt.Errorf("store: list jobs: %w", err)
	}
	if len(badKeys) > 0 {
		if err := s.quarantine(bucketJobs, badKeys); err != nil {
			return nil, nil, err
		}
	}
	return jobs, bad, nil
}

// quarantine moves keys of bucket into the quarantine bucket.
func (s *Store) quarantine(bucket []byte, keys [][]byte) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		src, q := tx.Bucket(bucket), tx.Bucket(bucketQuarantine)
		for _, k := range keys {
			v := src.Get(k)
			if v == nil {
				continue
			}
			if err := q.Put(append(append(append([]byte(nil), bucket...), '/'), k...), v); err != nil {
				return err
			}
			if err := src.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: quarantine: %w", err)
	}
	return nil
}

// QuarantineKeys lists the quarantined records' keys.
func (s *Store) QuarantineKeys() ([]string, error) {
	var keys []string
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketQuarantine).ForEach(func(k, _ []byte) error {
			keys = append(keys, string(k))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: quarantine keys: %w", err)
	}
	return keys, nil
}

// PutProof stores the proof file of a completed job.
func (s *Store) PutProof(jobID string, proof []byte) error {
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketProofs).Put([]byte(jobID), proof) }); err != nil {
		return fmt.Errorf("store: put proof: %w", err)
	}
	return nil
}

// Proof returns the stored proof of jobID.
func (s *Store) Proof(jobID string) ([]byte, error) {
	var p []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketProofs).Get([]byte(jobID))
		if v == nil {
			return fmt.Errorf("proof of %s: %w", jobID, ErrNotFound)
		}
		p = append([]byte(nil), v...)
		return nil
	})
	return p, err
}

// HasJob reports whether a job record is stored under id.
func (s *Store) HasJob(id string) (bool, error) {
	var has bool
	err := s.db.View(func(tx *bolt.Tx) error {
		has = tx.Bucket(bucketJobs).Get([]byte(id)) != nil
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: has job: %w", err)
	}
	return has, nil
}

// putOnce stores v under key in bucket unless something is there already.
func (s *Store) putOnce(bucket []byte, key string, v []byte) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		if b.Get([]byte(key)) != nil {
			return nil
		}
		return b.Put([]byte(key), v)
	})
}

func (s *Store) get(bucket []byte, key, what string) ([]byte, error) {
	var out []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucket).Get([]byte(key))
		if v == nil {
			return fmt.Errorf("%s of %s: %w", what, key, ErrNotFound)
		}
		out = append([]byte(nil), v...)
		return nil
	})
	return out, err
}

// PutInput stores jobID's input; a job's input is written once.
func (s *Store) PutInput(jobID string, input []byte) error {
	if err := s.putOnce(bucketInputs, jobID, input); err != nil {
		return fmt.Errorf("store: put input: %w", err)
	}
	return nil
}

// Input returns jobID's stored input.
func (s *Store) Input(jobID string) ([]byte, error) { return s.get(bucketInputs, jobID, "input") }

// PutOutput stores jobID's guest output; written once, when the plan lands.
func (s *Store) PutOutput(jobID string, output []byte) error {
	if err := s.putOnce(bucketOutputs, jobID, output); err != nil {
		return fmt.Errorf("store: put output: %w", err)
	}
	return nil
}

// Output returns jobID's stored output.
func (s *Store) Output(jobID string) ([]byte, error) { return s.get(bucketOutputs, jobID, "output") }

// Prune deletes terminal jobs' bulky data — input, output, proof and
// checkpoint — in one transaction, and marks their records Pruned. The
// records themselves stay.
func (s *Store) Prune(jobIDs ...string) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		jb := tx.Bucket(bucketJobs)
		for _, id := range jobIDs {
			k := []byte(id)
			for _, b := range [][]byte{bucketInputs, bucketOutputs, bucketProofs, bucketCheckpoints} {
				if bk := tx.Bucket(b); bk != nil {
					if err := bk.Delete(k); err != nil {
						return err
					}
				}
			}
			if err := deletePartials(tx, id); err != nil {
				return err
			}
			v := jb.Get(k)
			if v == nil {
				continue
			}
			var j Job
			if err := json.Unmarshal(v, &j); err != nil {
				return fmt.Errorf("decode job %s: %w", id, err)
			}
			j.Pruned, j.Input, j.Output, j.OutputStored = true, nil, nil, false
			data, err := json.Marshal(&j)
			if err != nil {
				return err
			}
			if err := jb.Put(k, data); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: prune %d jobs: %w", len(jobIDs), err)
	}
	return nil
}
