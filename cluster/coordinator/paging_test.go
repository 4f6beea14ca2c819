package coordinator

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/internal/testprover"
)

// TestJobsPage: pages cover every job once, oldest first, without
// outputs; a token naming no job is InvalidArgument.
func TestJobsPage(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1_800_000_000, 0)}
	c := newCore(t, clk, Config{})
	var want []string
	for i := range 7 {
		j, err := c.Submit(context.Background(), SubmitRequest{ELF: testprover.Program(1), Input: []byte{byte(i), 1, 2}})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, j.Id)
	}
	var got []string
	var sizes []int
	token := ""
	for range 10 {
		page, next, err := c.JobsPage("", token, 3)
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(page))
		for _, j := range page {
			if len(j.Output) != 0 {
				t.Fatal("listed job carries its output")
			}
			got = append(got, j.Id)
		}
		if next == "" {
			break
		}
		token = next
	}
	if len(sizes) != 3 || sizes[0] != 3 || sizes[1] != 3 || sizes[2] != 1 {
		t.Fatalf("page sizes %v, want [3 3 1]", sizes)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("listed %v, want %v", got, want)
		}
	}
	if all, next, err := c.JobsPage("", "", 0); err != nil || len(all) != 7 || next != "" {
		t.Fatalf("default page: %d jobs, next %q, %v", len(all), next, err)
	}
	if _, _, err := c.JobsPage("", "no-such-job", 3); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad token: %v", err)
	}
}

// TestTenantKeptAcrossRestart: a job's tenant is persisted, and the
// job list of a tenant holds only its jobs, before and after a restart.
func TestTenantKeptAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	clk := &fakeClock{now: time.Unix(1_800_000_000, 0)}
	st := openStore(t, dir)
	c := newCore(t, clk, Config{Store: st})
	for _, tenant := range []string{"acme", "beta", "acme"} {
		if _, err := c.Submit(context.Background(), SubmitRequest{ELF: testprover.Program(1), Tenant: tenant}); err != nil {
			t.Fatal(err)
		}
	}
	check := func(c *Coordinator) {
		t.Helper()
		jobs, _, err := c.JobsPage("acme", "", 0)
		if err != nil || len(jobs) != 2 {
			t.Fatalf("acme's jobs: %d %v", len(jobs), err)
		}
		for _, j := range jobs {
			if owner, err := c.JobTenant(j.Id); err != nil || owner != "acme" {
				t.Fatalf("owner of %s: %q %v", j.Id, owner, err)
			}
		}
		if all, _, _ := c.JobsPage("", "", 0); len(all) != 3 {
			t.Fatalf("operator sees %d jobs", len(all))
		}
	}
	check(c)
	c.Close(context.Background())
	st.Close()
	st = openStore(t, dir)
	t.Cleanup(func() { st.Close() })
	check(newCore(t, clk, Config{Store: st}))
}
