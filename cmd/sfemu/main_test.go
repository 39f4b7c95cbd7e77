package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
)

func TestParseFault(t *testing.T) {
	tests := []struct {
		in      string
		want    sfemu.FaultRule
		wantErr bool
	}{
		{"query:COPY:every=3:503", sfemu.FaultRule{Endpoint: "query", Statement: "COPY", Every: 3, Mode: "503"}, false},
		{"login:nth=1:drop", sfemu.FaultRule{Endpoint: "login", Nth: 1, Mode: "drop"}, false},
		{"query:nth=0:503", sfemu.FaultRule{}, true},
		{"query:every=2:teapot", sfemu.FaultRule{}, true},
		{"query", sfemu.FaultRule{}, true},
	}
	for _, tc := range tests {
		got, err := parseFault(tc.in)
		if (err != nil) != tc.wantErr {
			t.Fatalf("%s: err = %v", tc.in, err)
		}
		if err == nil {
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("%s: %s", tc.in, d)
			}
		}
	}
}
