package sftype

import "testing"

// The loader calls AppendCoerce once per value: on success it must not allocate.
func TestAppendCoerceNoAllocs(t *testing.T) {
	opts := &CoerceOptions{TimestampFormat: "YYYY-MM-DD HH24:MI:SS.FFTZH:TZM"}
	cases := []struct {
		typ string
		v   []byte
	}{
		{"NUMBER(19,0)", []byte("1234567890123")},
		{"NUMBER(12,2)", []byte("12345.678")},
		{"VARCHAR(40)", []byte("customer number 42")},
		{"TIMESTAMP_TZ(6)", []byte("2024-01-02 03:04:05.123456+00:00")},
		{"BOOLEAN", []byte("true")},
		{"DATE", []byte("2024-01-02")},
		{"BINARY", []byte("deadbeef")},
	}
	buf := make([]byte, 0, 128)
	for _, c := range cases {
		ty := MustParse(c.typ)
		AppendCoerce(buf[:0], ty, c.v, opts) // warm the format cache
		n := testing.AllocsPerRun(100, func() {
			if _, err := AppendCoerce(buf[:0], ty, c.v, opts); err != nil {
				t.Fatal(err)
			}
		})
		if n != 0 {
			t.Errorf("%s: %v allocations per value", c.typ, n)
		}
	}
}
