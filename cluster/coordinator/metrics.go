package coordinator

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the coordinator's Prometheus series, on a registry of their
// own so several coordinators can live in one test process.
type Metrics struct {
	Registry       *prometheus.Registry
	QueueDepth     prometheus.Gauge
	JobsByState    *prometheus.GaugeVec
	Transitions    *prometheus.CounterVec
	PhaseDuration  *prometheus.HistogramVec
	Contributions  prometheus.Counter
	LeavesProved   prometheus.Counter
	Aggregations   prometheus.Counter
	Workers        prometheus.Gauge
	WorkerCapacity prometheus.Gauge
	WorkersLost    prometheus.Counter
	KeyBytesServed prometheus.Counter
	TaskRetries    *prometheus.CounterVec
	// Duplicates counts straggler leaf tasks sent twice ("sent") and how
	// the duplicate fared: "won" (it delivered first) or "lost".
	Duplicates   *prometheus.CounterVec
	TaskAttempts *prometheus.HistogramVec
	Resumed      prometheus.Counter
	// Mock is 1 while the coordinator runs the mock prover for some kind.
	Mock prometheus.Gauge
	// StoreErrors counts failed store operations by op; StoreQuarantined
	// counts undecodable records set aside at startup.
	StoreErrors      *prometheus.CounterVec
	StoreQuarantined prometheus.Counter
	// Pruned counts terminal jobs whose input, output and proof retention deleted.
	Pruned prometheus.Counter
	// WorkersByState counts connected workers by state (idle, busy).
	WorkersByState *prometheus.GaugeVec
	// PlanDuration: from queued to planned; QueueWait: from planned to
	// started; JobDuration: from submission to the terminal state, by state.
	// Finalize's duration is PhaseDuration{phase="finalize"}.
	PlanDuration prometheus.Histogram
	QueueWait    prometheus.Histogram
	JobDuration  *prometheus.HistogramVec

	// Planning is the number of jobs waiting for the planning pool.
	Planning prometheus.Gauge
	// BadResults counts worker results refused (a commitment or proof that
	// does not check), by task kind; Quarantined is the number of workers
	// quarantined for sending one.
	BadResults  *prometheus.CounterVec
	Quarantined prometheus.Gauge
}

// NewMetrics creates and registers the coordinator series.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry:       prometheus.NewRegistry(),
		QueueDepth:     prometheus.NewGauge(prometheus.GaugeOpts{Name: "zkfleet_queue_depth", Help: "Jobs waiting for workers."}),
		JobsByState:    prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "zkfleet_jobs", Help: "Jobs by state."}, []string{"state"}),
		Transitions:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: "zkfleet_job_events_total", Help: "Job events by kind."}, []string{"kind"}),
		PhaseDuration:  prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "zkfleet_phase_duration_seconds", Help: "Duration of job phases.", Buckets: prometheus.ExponentialBuckets(0.001, 4, 12)}, []string{"phase"}),
		Contributions:  prometheus.NewCounter(prometheus.CounterOpts{Name: "zkfleet_contributions_total", Help: "Leaf commitments received."}),
		LeavesProved:   prometheus.NewCounter(prometheus.CounterOpts{Name: "zkfleet_leaves_proved_total", Help: "Leaf proofs received."}),
		Aggregations:   prometheus.NewCounter(prometheus.CounterOpts{Name: "zkfleet_folds_total", Help: "Fold results received."}),
		Workers:        prometheus.NewGauge(prometheus.GaugeOpts{Name: "zkfleet_workers", Help: "Connected workers."}),
		WorkerCapacity: prometheus.NewGauge(prometheus.GaugeOpts{Name: "zkfleet_worker_capacity", Help: "Sum of advertised worker capacity."}),
		WorkersLost:    prometheus.NewCounter(prometheus.CounterOpts{Name: "zkfleet_workers_lost_total", Help: "Workers lost (disconnect or missed heartbeats)."}),
		KeyBytesServed: prometheus.NewCounter(prometheus.CounterOpts{Name: "zkfleet_key_bytes_served_total", Help: "Key blob bytes sent to workers."}),
		Duplicates:     prometheus.NewCounterVec(prometheus.CounterOpts{Name: "zkfleet_duplicate_tasks_total", Help: "Straggler leaf tasks sent a second time (sent), and duplicates that delivered first (won) or second (lost)."}, []string{"outcome"}),
		TaskRetries:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: "zkfleet_task_retries_total", Help: "Tasks sent again after their worker failed or was lost, by kind."}, []string{"kind"}),
		TaskAttempts:   prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "zkfleet_task_attempts", Help: "Attempts a task took to deliver, by kind.", Buckets: []float64{1, 2, 3, 5, 10}}, []string{"kind"}),
		Resumed:        prometheus.NewCounter(prometheus.CounterOpts{Name: "zkfleet_jobs_resumed_total", Help: "Jobs resumed from a checkpoint after a coordinator restart."}),
		Mock:           prometheus.NewGauge(prometheus.GaugeOpts{Name: "zkfleet_mock_prover", Help: "1 when the coordinator runs the MOCK prover (placeholder proofs, not proofs)."}),
		StoreErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "zkfleet_store_errors_total",
			Help: "Failed store operations, by operation."}, []string{"op"}),
		StoreQuarantined: prometheus.NewCounter(prometheus.CounterOpts{Name: "zkfleet_store_quarantined_total",
			Help: "Undecodable store records moved to quarantine at startup."}),
		Pruned: prometheus.NewCounter(prometheus.CounterOpts{Name: "zkfleet_jobs_pruned_total",
			Help: "Terminal jobs whose input, output and proof were deleted by the retention policy."}),
		WorkersByState: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "zkfleet_workers_by_state",
			Help: "Connected workers by state (idle, busy)."}, []string{"state"}),
		PlanDuration: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "zkfleet_plan_duration_seconds",
			Help: "Time to plan a job (execute the guest, cut segments).", Buckets: prometheus.ExponentialBuckets(0.001, 4, 12)}),
		QueueWait: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "zkfleet_queue_wait_seconds",
			Help: "Time a planned job waited in the queue for workers.", Buckets: prometheus.ExponentialBuckets(0.001, 4, 12)}),
		JobDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "zkfleet_job_duration_seconds",
			Help: "Time from submission to the terminal state, by state.", Buckets: prometheus.ExponentialBuckets(0.01, 4, 12)}, []string{"state"}),
	}
	m.Planning = prometheus.NewGauge(prometheus.GaugeOpts{Name: "zkfleet_planning_queue", Help: "Jobs waiting to be planned."})
	m.BadResults = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "zkfleet_bad_results_total", Help: "Worker results refused because they do not check, by task kind."}, []string{"kind"})
	m.Quarantined = prometheus.NewGauge(prometheus.GaugeOpts{Name: "zkfleet_workers_quarantined", Help: "Workers quarantined for sending a result that does not check."})
	m.Registry.MustRegister(m.Planning, m.BadResults, m.Quarantined)
	m.Registry.MustRegister(m.QueueDepth, m.JobsByState, m.Transitions, m.PhaseDuration, m.Contributions,
		m.LeavesProved, m.Aggregations, m.Workers, m.WorkerCapacity, m.WorkersLost, m.KeyBytesServed,
		m.TaskRetries, m.Duplicates, m.TaskAttempts, m.Resumed, m.Mock, m.StoreErrors, m.StoreQuarantined, m.Pruned, m.WorkersByState, m.PlanDuration, m.QueueWait, m.JobDuration, prometheus.NewGoCollector())
	return m
}
