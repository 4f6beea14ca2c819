package httpapi_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/zkfleet/zkfleet/cluster/auth"
	"github.com/zkfleet/zkfleet/cluster/httpapi"
	"github.com/zkfleet/zkfleet/cluster/node"
	"github.com/zkfleet/zkfleet/guest"
)

const (
	acmeToken = "acme-token-0123456789"
	betaToken = "beta-token-0123456789"
)

// TestTenants: on the HTTP API as on gRPC, a tenant's token submits jobs
// that only it (and the operator) can see, stream, download and cancel;
// another tenant gets NOT_FOUND, exactly as for a job that does not
// exist. Batch ids are per tenant: the same batch_id from another tenant
// is a batch of its own, not a 409 that would reveal the first tenant's
// job. An unknown token is 401.
func TestTenants(t *testing.T) {
	p := filepath.Join(t.TempDir(), "tenants.json")
	if err := os.WriteFile(p, []byte(`{"tenants":[{"name":"acme","token":"`+acmeToken+`"},{"name":"beta","token":"`+betaToken+`"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tenants, err := auth.LoadTenants(p)
	if err != nil {
		t.Fatal(err)
	}
	c := startWith(t, 0, 0, nil, httpapi.Config{Ping: 30 * time.Millisecond, MaxBody: testMaxBody},
		func(cc *node.CoordinatorConfig) { cc.Tenants = tenants }) // no workers: jobs wait
	as := func(tok string) []string { return []string{"Authorization", "Bearer " + tok} }

	req, _ := http.NewRequest("GET", c.base+"/v2/health", nil)
	req.Header.Set("Authorization", "Bearer not-a-token-at-all-0123")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unknown token: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}

	body := exampleBody(t, 4, 3)
	a := c.do("POST", "/v2/batch/prove", body, as(acmeToken)...)
	var acme httpapi.Accepted
	a.data(t, &acme)
	if a.HTTP != http.StatusAccepted {
		t.Fatalf("acme POST: %d %s", a.HTTP, a.Message)
	}
	for _, req := range [][2]string{
		{"GET", "/v2/batch/" + acme.JobID},
		{"GET", "/v2/batch/" + acme.JobID + "/status"},
		{"GET", "/v2/batch/" + acme.JobID + "/proof"},
		{"DELETE", "/v2/batch/" + acme.JobID},
		{"GET", "/v2/jobs/" + acme.JobID},
	} {
		got := c.do(req[0], req[1], nil, as(betaToken)...)
		missing := c.do(req[0], "/v2/jobs/no-such-job", nil, as(betaToken)...)
		if got.HTTP != http.StatusNotFound || got.Code != httpapi.CodeNotFound || missing.HTTP != http.StatusNotFound || missing.Code != got.Code {
			t.Fatalf("beta %s %s: %d %s %q; a missing job: %d %s", req[0], req[1], got.HTTP, got.Code, got.Message, missing.HTTP, missing.Code)
		}
	}
	// The same batch_id with other content from beta: beta's own batch.
	other := exampleBody(t, 5, 3)
	a = c.do("POST", "/v2/batch/prove", other, as(betaToken)...)
	var beta httpapi.Accepted
	a.data(t, &beta)
	if a.HTTP != http.StatusAccepted || beta.JobID == acme.JobID || beta.Existing {
		t.Fatalf("beta's batch of the same id: %d %+v", a.HTTP, beta)
	}
	// acme again with its own content: its existing job; with beta's: 409.
	if a := c.do("POST", "/v2/batch/prove", body, as(acmeToken)...); a.HTTP != http.StatusOK {
		t.Fatalf("acme resubmits: %d %s", a.HTTP, a.Message)
	}
	if a := c.do("POST", "/v2/batch/prove", other, as(acmeToken)...); a.HTTP != http.StatusConflict || a.JobID != acme.JobID {
		t.Fatalf("acme, other content: %d %s job %q", a.HTTP, a.Code, a.JobID)
	}
	// Generic jobs are owned the same way.
	elf, err := guest.Example("fib")
	if err != nil {
		t.Fatal(err)
	}
	job, _ := json.Marshal(httpapi.JobRequest{ELF: elf, Input: []byte{10, 0, 0, 0}})
	a = c.do("POST", "/v2/jobs", job, as(betaToken)...)
	var gen httpapi.Accepted
	a.data(t, &gen)
	if got := c.do("GET", "/v2/jobs/"+gen.JobID, nil, as(acmeToken)...); got.HTTP != http.StatusNotFound {
		t.Fatalf("acme sees beta's job: %d", got.HTTP)
	}
	// The operator sees and cancels everyone's; the owner cancels its own.
	if got := c.do("GET", "/v2/batch/"+beta.JobID, nil); got.HTTP != http.StatusOK {
		t.Fatalf("operator GET: %d %s", got.HTTP, got.Message)
	}
	if got := c.do("DELETE", "/v2/jobs/"+gen.JobID, nil); got.HTTP != http.StatusOK {
		t.Fatalf("operator DELETE: %d %s", got.HTTP, got.Message)
	}
	if got := c.do("DELETE", "/v2/batch/"+acme.JobID, nil, as(acmeToken)...); got.HTTP != http.StatusOK {
		t.Fatalf("owner DELETE: %d %s", got.HTTP, got.Message)
	}
}
