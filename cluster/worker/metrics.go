package worker

import "github.com/prometheus/client_golang/prometheus"

// Metrics are a worker's Prometheus series, on their own registry.
type Metrics struct {
	Registry     *prometheus.Registry
	Tasks        *prometheus.CounterVec
	TaskFailures *prometheus.CounterVec
	TaskDuration *prometheus.HistogramVec
	Running      prometheus.Gauge
	Capacity     prometheus.Gauge
	Connected    prometheus.Gauge
	Reconnects   prometheus.Counter
	KeyHits      prometheus.Counter
	KeyMisses    prometheus.Counter
	Mock         prometheus.Gauge
}

// NewMetrics creates and registers the worker series.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry:     prometheus.NewRegistry(),
		Tasks:        prometheus.NewCounterVec(prometheus.CounterOpts{Name: "zkfleet_worker_tasks_total", Help: "Tasks completed by kind."}, []string{"kind"}),
		TaskFailures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "zkfleet_worker_task_failures_total", Help: "Tasks failed by kind."}, []string{"kind"}),
		TaskDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "zkfleet_worker_task_duration_seconds", Help: "Task durations.", Buckets: prometheus.ExponentialBuckets(0.0005, 4, 12)}, []string{"kind"}),
		Running:      prometheus.NewGauge(prometheus.GaugeOpts{Name: "zkfleet_worker_running_tasks", Help: "Tasks running now."}),
		Capacity:     prometheus.NewGauge(prometheus.GaugeOpts{Name: "zkfleet_worker_capacity", Help: "Advertised capacity."}),
		Connected:    prometheus.NewGauge(prometheus.GaugeOpts{Name: "zkfleet_worker_connected", Help: "1 while registered with the coordinator."}),
		Reconnects:   prometheus.NewCounter(prometheus.CounterOpts{Name: "zkfleet_worker_reconnects_total", Help: "Connection attempts after the first."}),
		KeyHits:      prometheus.NewCounter(prometheus.CounterOpts{Name: "zkfleet_worker_key_cache_hits_total", Help: "Key blobs found in the cache."}),
		KeyMisses:    prometheus.NewCounter(prometheus.CounterOpts{Name: "zkfleet_worker_key_cache_misses_total", Help: "Key blobs fetched from the coordinator."}),
		Mock:         prometheus.NewGauge(prometheus.GaugeOpts{Name: "zkfleet_worker_mock_prover", Help: "1 when the worker runs the MOCK prover (placeholder proofs, not proofs)."}),
	}
	m.Registry.MustRegister(m.Tasks, m.TaskFailures, m.TaskDuration, m.Running, m.Capacity, m.Connected,
		m.Reconnects, m.KeyHits, m.KeyMisses, m.Mock, prometheus.NewGoCollector())
	return m
}
