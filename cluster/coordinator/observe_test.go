package coordinator

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

func histCount(t *testing.T, o prometheus.Observer) uint64 {
	t.Helper()
	var m dto.Metric
	if err := o.(prometheus.Metric).Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetHistogram().GetSampleCount()
}

func gaugeValue(t *testing.T, g prometheus.Gauge) float64 {
	t.Helper()
	var m dto.Metric
	if err := g.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetGauge().GetValue()
}

// TestJobMetrics: one job run to completion is seen in the plan, queue
// wait and job duration histograms, and the worker gauges by state follow
// it from busy back to idle.
func TestJobMetrics(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1_800_000_000, 0)}
	c := newCore(t, clk, Config{})
	m := c.Metrics()
	w := newFakeWorker(t, c, "w", 1)
	if got := gaugeValue(t, m.WorkersByState.WithLabelValues("idle")); got != 1 {
		t.Fatalf("idle workers %v", got)
	}
	id := submit(t, c, 2)
	if got := gaugeValue(t, m.WorkersByState.WithLabelValues("busy")); got != 1 {
		t.Fatalf("busy workers %v while the job runs", got)
	}
	clk.Add(3 * time.Second)
	runAll(t, w)
	terminal(t, c, id)
	if n := histCount(t, m.PlanDuration); n != 1 {
		t.Fatalf("plan duration samples %d", n)
	}
	if n := histCount(t, m.QueueWait); n != 1 {
		t.Fatalf("queue wait samples %d", n)
	}
	if n := histCount(t, m.JobDuration.WithLabelValues("completed")); n != 1 {
		t.Fatalf("job duration samples %d", n)
	}
	if got := gaugeValue(t, m.WorkersByState.WithLabelValues("idle")); got != 1 {
		t.Fatalf("idle workers %v after the job", got)
	}
}
