package node

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

type metrics struct {
	registry    *prometheus.Registry
	requests    *prometheus.CounterVec
	commitments prometheus.Counter
	fragments   *prometheus.CounterVec
}

func newMetrics(s *Server) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zkfleet_node_requests_total",
			Help: "API requests by path and status code.",
		}, []string{"path", "code"}),
		commitments: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "zkfleet_node_commitments_total",
			Help: "Nonce commitments issued (signing round one).",
		}),
		fragments: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zkfleet_node_fragments_total",
			Help: "Signing round two requests by outcome (signed, proof_rejected, nonce_unavailable, bad_package).",
		}, []string{"outcome"}),
	}
	outstanding := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "zkfleet_node_outstanding_nonces",
		Help: "Issued nonces not yet used or expired.",
	}, func() float64 { return float64(s.store.outstandingNonces()) })
	m.registry.MustRegister(m.requests, m.commitments, m.fragments, outstanding,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
