// Package committee drives an attestation committee of `zkfleet node`s from
// the outside: Keygen runs the dealerless key generation and returns the
// committee description, and Committee.Attest collects t signature shares
// for a request, checks every share against its node's verifying share, and
// combines them into one Ed25519 signature. Neither ever sees a key share.
package committee

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/zkfleet/zkfleet/attest/api"
)

// MaxResponseBytes bounds a node's response.
const MaxResponseBytes = 4 << 20

// ClientOptions configure the HTTP client for the nodes.
type ClientOptions struct {
	// Token is the bearer token sent to every node; Tokens overrides it per
	// node URL.
	Token  string
	Tokens map[string]string
	// CAFile is a PEM file of CAs trusted for the nodes' TLS certificates
	// (the system pool when empty).
	CAFile string
	// Timeout bounds each request (one minute when zero; a fragment
	// request includes the node's proof verification).
	Timeout time.Duration
}

// Client calls node APIs.
type Client struct {
	http   *http.Client
	token  string
	tokens map[string]string
}

// NewClient builds a client.
func NewClient(o ClientOptions) (*Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if o.CAFile != "" {
		pem, err := os.ReadFile(o.CAFile)
		if err != nil {
			return nil, fmt.Errorf("committee: read CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("committee: no certificates in %s", o.CAFile)
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	if o.Timeout <= 0 {
		o.Timeout = time.Minute
	}
	return &Client{http: &http.Client{Transport: tr, Timeout: o.Timeout}, token: o.Token, tokens: o.Tokens}, nil
}

// NodeError is a failed call to one node.
type NodeError struct {
	URL        string
	Path       string
	Status     int // 0 when the node could not be reached
	Message    string
	Complaints []api.Complaint
	Err        error
}

func (e *NodeError) Error() string {
	if e.Status == 0 {
		return fmt.Sprintf("%s%s: %v", e.URL, e.Path, e.Err)
	}
	return fmt.Sprintf("%s%s: %d %s", e.URL, e.Path, e.Status, e.Message)
}

func (e *NodeError) Unwrap() error { return e.Err }

func (c *Client) call(ctx context.Context, url, path string, req, resp any) error {
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, url+path, bytes.NewReader(body))
	if err != nil {
		return &NodeError{URL: url, Path: path, Err: err}
	}
	hr.Header.Set("Content-Type", "application/json")
	tok := c.token
	if t, ok := c.tokens[url]; ok {
		tok = t
	}
	hr.Header.Set("Authorization", "Bearer "+tok)
	r, err := c.http.Do(hr)
	if err != nil {
		return &NodeError{URL: url, Path: path, Err: err}
	}
	defer r.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(r.Body, MaxResponseBytes+1))
	if err != nil {
		return &NodeError{URL: url, Path: path, Err: err}
	}
	if len(raw) > MaxResponseBytes {
		return &NodeError{URL: url, Path: path, Status: r.StatusCode, Message: "response too large", Err: errors.New("response too large")}
	}
	if r.StatusCode != http.StatusOK {
		var e api.Error
		msg := string(bytes.TrimSpace(raw))
		if json.Unmarshal(raw, &e) == nil && e.Error != "" {
			msg = e.Error
		}
		return &NodeError{URL: url, Path: path, Status: r.StatusCode, Message: msg, Complaints: e.Complaints, Err: errors.New(msg)}
	}
	if err := json.Unmarshal(raw, resp); err != nil {
		return &NodeError{URL: url, Path: path, Status: r.StatusCode, Message: "malformed response", Err: err}
	}
	return nil
}
