package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// filledStore writes a store with enough records to span many pages and
// returns its data dir.
func filledStore(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		j := &Job{ID: fmt.Sprintf("j%04d", i), Input: bytes.Repeat([]byte{byte(i)}, 700), State: 3}
		if err := s.PutJob(j); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestOpenRefusesDamagedFile: a truncated or overwritten data file is
// refused with ErrCorrupt and a message naming the file, never a panic.
func TestOpenRefusesDamagedFile(t *testing.T) {
	page := os.Getpagesize()
	cases := []struct {
		name   string
		damage func(t *testing.T, path string)
	}{
		{"truncated to 100 bytes", func(t *testing.T, path string) { truncate(t, path, 100) }},
		{"truncated to half", func(t *testing.T, path string) {
			fi, _ := os.Stat(path)
			truncate(t, path, fi.Size()/2)
		}},
		{"both meta pages overwritten", func(t *testing.T, path string) {
			overwrite(t, path, 0, 2*page)
		}},
		{"data pages overwritten", func(t *testing.T, path string) {
			overwrite(t, path, int64(4*page), 6*page)
		}},
		{"whole file garbage", func(t *testing.T, path string) {
			fi, _ := os.Stat(path)
			overwrite(t, path, 0, int(fi.Size()))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := filledStore(t)
			path := filepath.Join(dir, FileName)
			tc.damage(t, path)
			s, err := Open(dir)
			if err == nil {
				s.Close()
				t.Fatal("damaged file opened")
			}
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), path) {
				t.Fatalf("error %v: want ErrCorrupt naming %s", err, path)
			}
			if strings.HasPrefix(tc.name, "truncated") && !strings.Contains(err.Error(), "truncated") && !strings.Contains(err.Error(), "meta") {
				t.Fatalf("truncation not caught before mapping: %v", err)
			}
		})
	}
}

func truncate(t *testing.T, path string, size int64) {
	t.Helper()
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
}

// overwrite fills n bytes at off with a fixed non-zero pattern.
func overwrite(t *testing.T, path string, off int64, n int) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	junk := make([]byte, n)
	for i := range junk {
		junk[i] = byte(i*131 + 7)
	}
	if _, err := f.WriteAt(junk, off); err != nil {
		t.Fatal(err)
	}
}

// TestJobsQuarantinesBadRecords: an undecodable record (or one filed
// under another job's id) is moved to quarantine; the others load, and
// the next start sees a clean bucket.
func TestJobsQuarantinesBadRecords(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, id := range []string{"a", "c"} {
		if err := s.PutJob(&Job{ID: id}); err != nil {
			t.Fatal(err)
		}
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketJobs)
		if err := b.Put([]byte("b"), []byte("{not json")); err != nil {
			return err
		}
		return b.Put([]byte("d"), []byte(`{"id":"a"}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	jobs, bad, err := s.Jobs()
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 2 || jobs[0].ID != "a" || jobs[1].ID != "c" {
		t.Fatalf("jobs %+v", jobs)
	}
	if len(bad) != 2 || bad[0].Key != "jobs/b" || bad[1].Key != "jobs/d" || bad[0].Err == nil {
		t.Fatalf("quarantined %+v", bad)
	}
	keys, err := s.QuarantineKeys()
	if err != nil || len(keys) != 2 {
		t.Fatalf("quarantine bucket %v %v", keys, err)
	}
	if _, bad, err := s.Jobs(); err != nil || len(bad) != 0 {
		t.Fatalf("second load: %v %v", bad, err)
	}
}
