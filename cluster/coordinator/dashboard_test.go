package coordinator

import (
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// metricNames lists the names of every series the coordinator registers,
// from the collectors' descriptions (a vector with no series yet is
// missing from Gather, not from Describe).
func metricNames(t *testing.T, m *Metrics) map[string]bool {
	t.Helper()
	fqName := regexp.MustCompile(`fqName: "([^"]+)"`)
	names := map[string]bool{}
	v := reflect.ValueOf(m).Elem()
	for i := range v.NumField() {
		col, ok := v.Field(i).Interface().(prometheus.Collector)
		if !ok {
			continue
		}
		ch := make(chan *prometheus.Desc, 16)
		go func() { col.Describe(ch); close(ch) }()
		for d := range ch {
			if mm := fqName.FindStringSubmatch(d.String()); mm != nil {
				names[mm[1]] = true
			}
		}
	}
	// Every described metric must also be registered.
	for name := range names {
		if err := m.Registry.Register(prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: "probe"})); err == nil {
			t.Errorf("%s is a field of Metrics but not registered", name)
		}
	}
	return names
}

// TestDashboardMetricsExist: every zkfleet_ metric the Grafana dashboard
// in deploy/ queries is one the coordinator exports.
func TestDashboardMetricsExist(t *testing.T) {
	raw, err := os.ReadFile("../../deploy/grafana/zkfleet-coordinator.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatal(err)
	}
	have := metricNames(t, NewMetrics())
	ref := regexp.MustCompile(`\bzkfleet_[a-z0-9_]+`)
	queried := 0
	for _, p := range dash.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			refs := ref.FindAllString(tg.Expr, -1)
			if len(refs) == 0 {
				t.Errorf("panel %q: query %q names no zkfleet metric", p.Title, tg.Expr)
			}
			for _, name := range refs {
				queried++
				base := name
				for _, suf := range []string{"_bucket", "_sum", "_count"} {
					if b, ok := strings.CutSuffix(name, suf); ok && have[b] {
						base = b
					}
				}
				if !have[base] {
					t.Errorf("panel %q queries %s, which the coordinator does not export", p.Title, name)
				}
			}
		}
	}
	if queried < 10 {
		t.Fatalf("only %d metric references in the dashboard", queried)
	}
}
