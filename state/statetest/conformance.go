package statetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/state"
)

// Opener opens a new, independent Manager on one store, as another process
// would. The backend's test closes it when the test ends.
type Opener func(t *testing.T) state.Manager

// Conformance runs every check against fresh stores made by newStore.
func Conformance(t *testing.T, newStore func(t *testing.T) Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open Opener)
	}{
		{"ReadEmpty", readEmpty},
		{"WriteReadRoundTrip", writeRead},
		{"SerialIncrementsLineageKept", serialIncrements},
		{"StaleSerialRefused", staleSerial},
		{"OtherLineageRefused", otherLineage},
		{"LockExclusive", lockExclusive},
		{"LockTimeoutRetriesThenFails", lockTimeout},
		{"UnlockWrongIDRefused", unlockWrongID},
		{"ForceUnlock", forceUnlock},
		{"WriteRefusedWhileOthersHoldLock", writeWhileOtherHolds},
		{"ConcurrentWritersNeverCorrupt", concurrentWriters},
		{"TwoApplies", twoApplies},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, newStore(t)) })
	}
}

// Object returns a table object numbered i, for building test states.
func Object(i int) (string, *state.Object) {
	at := time.Date(2026, 11, 27, 4, 0, i, 0, time.UTC)
	o := &state.Object{Kind: state.KindTable, Name: []string{"ANALYTICS", "APP", fmt.Sprintf("T%03d", i)}, CreatedAt: at, UpdatedAt: at}
	o.SetDDL(fmt.Sprintf("CREATE TABLE ANALYTICS.APP.T%03d (ID NUMBER(38,0))", i))
	return state.ObjectAddress(o.Kind, o.Name...), o
}

// Sample is a small state with objects and a load with a manifest.
func Sample() *state.State {
	s := state.New("v0.0.0-statetest")
	for i := range 3 {
		addr, o := Object(i)
		s.Objects[addr] = o
	}
	at := time.Date(2026, 11, 27, 4, 5, 0, 0, time.UTC)
	s.Loads[state.LoadAddress("app", "public", "t000")] = &state.Load{
		Source: "app", Schema: "public", Table: "t000", Target: "snowflake_table.ANALYTICS.APP.T000",
		Status: state.LoadLoading, Format: "csv", Compression: "zstd", StartedAt: &at,
		Fingerprint: &state.Fingerprint{EstimatedRows: 10, TupInserted: 10, TakenAt: at},
		Files: []*state.File{{Name: "t000/part-0.csv.zst", Chunk: state.Chunk{By: "ctid", From: "0", To: "128"},
			Rows: 10, Bytes: 321, SHA256: state.HashDDL("x"), QueryID: "01b0-q1", LoadedAt: at}},
	}
	return s
}

func ctx(t *testing.T) context.Context { return t.Context() }

func mustRead(t *testing.T, m state.Manager) *state.State {
	t.Helper()
	s, err := m.Read(ctx(t))
	if err != nil {
		t.Fatalf("Read (%s): %v", m, err)
	}
	return s
}

func mustWrite(t *testing.T, m state.Manager, s *state.State) {
	t.Helper()
	if err := m.Write(ctx(t), s); err != nil {
		t.Fatalf("Write (%s): %v", m, err)
	}
}

func mustLock(t *testing.T, m state.Manager, op string) (string, *state.LockInfo) {
	t.Helper()
	info := state.NewLockInfo(op, "v0.0.0-statetest")
	id, err := m.Lock(ctx(t), info)
	if err != nil {
		t.Fatalf("Lock (%s): %v", m, err)
	}
	if id != info.ID {
		t.Fatalf("Lock returned id %q, want the info's id %q", id, info.ID)
	}
	return id, info
}

// wantHeldBy checks err is a *state.LockError naming holder.
func wantHeldBy(t *testing.T, err error, holder *state.LockInfo) *state.LockError {
	t.Helper()
	var le *state.LockError
	if !errors.As(err, &le) {
		t.Fatalf("want a *state.LockError, got %v", err)
	}
	if le.Info == nil {
		t.Fatalf("the lock error does not name the holder: %v", err)
	}
	if diff := cmp.Diff(holder, le.Info); diff != "" {
		t.Errorf("lock error names the wrong holder (-want +got):\n%s", diff)
	}
	for _, want := range []string{holder.ID, holder.Who, holder.Operation, "pgsnow force-unlock " + holder.ID} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("lock error lacks %q:\n%v", want, err)
		}
	}
	return le
}

func readEmpty(t *testing.T, open Opener) {
	m := open(t)
	if s := mustRead(t, m); s != nil {
		t.Fatalf("Read of an empty store = %+v, want nil", s)
	}
	h, err := m.Holder(ctx(t))
	if err != nil || h != nil {
		t.Fatalf("Holder of an empty store = %v, %v; want nil, nil", h, err)
	}
}

func writeRead(t *testing.T, open Opener) {
	a, b := open(t), open(t)
	s := Sample()
	mustWrite(t, a, s)
	if s.Serial != 1 {
		t.Errorf("after the first write Serial = %d, want 1", s.Serial)
	}
	got := mustRead(t, b)
	if diff := cmp.Diff(s, got); diff != "" {
		t.Errorf("read back differs (-written +read):\n%s", diff)
	}
}

func serialIncrements(t *testing.T, open Opener) {
	a, b := open(t), open(t)
	s := Sample()
	lineage := s.Lineage
	for i := 1; i <= 4; i++ {
		addr, o := Object(100 + i)
		s.Objects[addr] = o
		mustWrite(t, a, s)
		if s.Serial != int64(i) {
			t.Fatalf("write %d: Serial = %d", i, s.Serial)
		}
		got := mustRead(t, b)
		if got.Serial != int64(i) || got.Lineage != lineage || !got.Has(addr) {
			t.Fatalf("write %d: read serial %d lineage %s, has %s: %v", i, got.Serial, got.Lineage, addr, got.Has(addr))
		}
	}
	// The other manager continues from what it read.
	s2 := mustRead(t, b)
	mustWrite(t, b, s2)
	if s2.Serial != 5 || mustRead(t, a).Serial != 5 {
		t.Errorf("write through a second manager: Serial = %d, want 5", s2.Serial)
	}
}

func staleSerial(t *testing.T, open Opener) {
	a, b := open(t), open(t)
	mustWrite(t, a, Sample())
	sa, sb := mustRead(t, a), mustRead(t, b)
	addr, o := Object(50)
	sa.Objects[addr] = o
	mustWrite(t, a, sa)
	delete(sb.Objects, "snowflake_table.ANALYTICS.APP.T000")
	err := b.Write(ctx(t), sb)
	var se *state.SerialError
	if !errors.As(err, &se) || se.Stored != 2 || se.Given != 1 {
		t.Fatalf("stale write: got %v, want a *state.SerialError stored 2 given 1", err)
	}
	if sb.Serial != 1 {
		t.Errorf("a refused write changed Serial to %d", sb.Serial)
	}
	if diff := cmp.Diff(sa, mustRead(t, a)); diff != "" {
		t.Errorf("the refused write changed the stored state (-want +got):\n%s", diff)
	}
}

func otherLineage(t *testing.T, open Opener) {
	a := open(t)
	first := Sample()
	mustWrite(t, a, first)
	other := Sample() // a fresh lineage
	other.Serial = 1
	var le *state.LineageError
	if err := a.Write(ctx(t), other); !errors.As(err, &le) {
		t.Fatalf("write with another lineage: got %v, want *state.LineageError", err)
	}
	if got := mustRead(t, a); got.Lineage != first.Lineage || got.Serial != 1 {
		t.Errorf("stored lineage %s serial %d after a refused write", got.Lineage, got.Serial)
	}
}
