package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
)

var (
	sharedMu  sync.Mutex
	shared    *Cluster
	sharedErr error
)

// Main runs the tests of a package and then removes the shared cluster:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	sharedMu.Lock()
	if shared != nil {
		shared.Close()
	}
	sharedMu.Unlock()
	os.Exit(code)
}

// Shared returns the test binary's shared cluster, starting it on first use.
// With PGSNOW_TEST_DSN set it is that server instead.
func Shared(t testing.TB) *Cluster {
	t.Helper()
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if shared == nil && sharedErr == nil {
		shared, sharedErr = sharedCluster()
	}
	if sharedErr != nil {
		t.Fatalf("pgtest: %v", sharedErr)
	}
	return shared
}

func sharedCluster() (*Cluster, error) {
	if dsn := os.Getenv("PGSNOW_TEST_DSN"); dsn != "" {
		u, err := url.Parse(dsn)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return nil, fmt.Errorf("PGSNOW_TEST_DSN must be a postgres:// URL")
		}
		return &Cluster{external: u}, nil
	}
	return New(Options{})
}

var unsafeName = regexp.MustCompile(`[^a-z0-9_]+`)

// NewDatabase creates an empty database in the shared cluster, drops it when
// the test ends, and returns its DSN.
func NewDatabase(t testing.TB) string {
	t.Helper()
	c := Shared(t)
	name := unsafeName.ReplaceAllString(strings.ToLower(t.Name()), "_")
	if len(name) > 40 {
		name = name[:40]
	}
	suffix := make([]byte, 4)
	rand.Read(suffix)
	name = "t_" + name + "_" + hex.EncodeToString(suffix)
	ctx := context.Background()
	if err := c.CreateDatabase(ctx, name); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if err := c.DropDatabase(context.Background(), name); err != nil {
			t.Logf("pgtest: drop database %s: %v", name, err)
		}
	})
	return c.DSN(name)
}

// Start starts a cluster for one test, which may stop and restart it; it is
// removed when the test ends.
func Start(t testing.TB) *Cluster {
	t.Helper()
	c, err := New(Options{})
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
