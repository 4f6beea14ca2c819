package worker_test

import (
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/zkfleet/zkfleet/cluster/worker"
)

// TestOpenAPIMatchesTypes: docs/openapi-worker.json names exactly the JSON
// fields of the API's Go types.
func TestOpenAPIMatchesTypes(t *testing.T) {
	b, err := os.ReadFile("../../docs/openapi-worker.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths      map[string]map[string]json.RawMessage
		Components struct {
			Schemas map[string]struct {
				Properties map[string]json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]any{"Health": worker.Health{}, "TaskStatus": worker.TaskStatus{}, "ProveRequest": worker.ProveRequest{}} {
		var want, got []string
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			want = append(want, strings.Split(rt.Field(i).Tag.Get("json"), ",")[0])
		}
		for p := range doc.Components.Schemas[name].Properties {
			got = append(got, p)
		}
		sort.Strings(want)
		sort.Strings(got)
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%s: OpenAPI properties %v, Go fields %v", name, got, want)
		}
	}
	for _, p := range []string{"/health", "/prove", "/status/{id}", "/cancel/{id}"} {
		if doc.Paths[p] == nil {
			t.Errorf("path %s not documented", p)
		}
	}
}
