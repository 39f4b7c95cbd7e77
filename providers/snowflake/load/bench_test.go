package load_test

import (
	"context"
	"crypto/rand"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pgsnow/pgsnow/providers/snowflake/load"
)

// BenchmarkPutMemory compares the memory a 32 MB PUT costs from a stream
// (gosnowflake v1.19.1 reads the whole stream into a buffer, then
// encrypts it into a second one) and from a spill file (the driver
// encrypts file to file). The emulator runs in the same process and its
// upload handler is counted in both. peak-heap-MB is the highest
// HeapInuse sampled during the PUTs, over a baseline taken before.
//
//	go test ./providers/snowflake/load -run '^$' -bench PutMemory -benchtime 3x
func BenchmarkPutMemory(b *testing.B) {
	const size = 32 << 20
	payload := make([]byte, size)
	if _, err := rand.Read(payload); err != nil {
		b.Fatal(err)
	}
	e := startWith(b, "http", sfemuNone())
	for _, mode := range []string{"stream", "spill"} {
		b.Run(mode, func(b *testing.B) {
			up := load.Upload{Stage: e.stage, Prefix: "bench", Name: "bench_" + mode + ".csv", Compression: "NONE"}
			if mode == "spill" {
				up.SpillDir = b.TempDir()
			}
			runtime.GC()
			var base runtime.MemStats
			runtime.ReadMemStats(&base)
			stop := sampler()
			b.SetBytes(size)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				st, err := load.Put(context.Background(), e.db, up, fast, func(w io.Writer) error {
					_, err := w.Write(payload)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
				if st.Bytes != size {
					b.Fatalf("staged %d bytes", st.Bytes)
				}
			}
			b.StopTimer()
			peak := stop()
			b.ReportMetric(float64(peak-min(peak, base.HeapInuse))/(1<<20), "peak-heap-MB")
		})
	}
}

// sampler records the highest HeapInuse until stopped.
func sampler() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}
