package engine_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestClusterLinksNoProofSystem keeps the boundary honest: the cluster
// (coordinator, worker, transports, assembly) and this package import no
// proof system, so they build fast and a new kind never touches them.
func TestClusterLinksNoProofSystem(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/zkfleet/zkfleet/cluster/...", "github.com/zkfleet/zkfleet/engine").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	pkgs := strings.Fields(string(out))
	if len(pkgs) < 10 {
		t.Fatalf("go list listed only %d packages: %s", len(pkgs), out)
	}
	for _, p := range pkgs {
		if strings.HasPrefix(p, "github.com/consensys/") {
			t.Errorf("cluster/... or engine depends on %s", p)
		}
	}
}
