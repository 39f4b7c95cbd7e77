package sfload

import (
	"bufio"
	"compress/bzip2"
	"compress/flate"
	"compress/zlib"
	"fmt"
	"io"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// decompress wraps src per COMPRESSION. AUTO detects by magic bytes
// (gzip, zstd, bz2, zlib-deflate); like Snowflake it cannot detect Brotli
// or raw deflate, which must be named explicitly. It returns a closer for
// decoders that hold resources.
func decompress(src io.Reader, compression, name string) (io.Reader, func(), error) {
	br := bufio.NewReaderSize(src, 256<<10)
	c := strings.ToUpper(compression)
	if c == "" || c == "AUTO" {
		magic, _ := br.Peek(4)
		c = detect(magic, name)
	}
	fail := func(err error) (io.Reader, func(), error) {
		le := decompressErr(name, c, err)
		return nil, nil, le
	}
	switch c {
	case "NONE":
		return br, func() {}, nil
	case "GZIP":
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fail(err)
		}
		return &wrapErr{r: zr, name: name, c: c}, func() { zr.Close() }, nil
	case "ZSTD":
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return fail(err)
		}
		return &wrapErr{r: zr, name: name, c: c}, zr.Close, nil
	case "BZ2":
		return &wrapErr{r: bzip2.NewReader(br), name: name, c: c}, func() {}, nil
	case "DEFLATE":
		zr, err := zlib.NewReader(br)
		if err != nil {
			return fail(err)
		}
		return &wrapErr{r: zr, name: name, c: c}, func() { zr.Close() }, nil
	case "RAW_DEFLATE":
		zr := flate.NewReader(br)
		return &wrapErr{r: zr, name: name, c: c}, func() { zr.Close() }, nil
	case "BROTLI":
		return &wrapErr{r: brotli.NewReader(br), name: name, c: c}, func() {}, nil
	}
	return nil, nil, &LoadError{Code: 100999, SQLState: "22023", Message: fmt.Sprintf("emulator: unknown COMPRESSION '%s'", compression)}
}

func detect(magic []byte, name string) string {
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		return "GZIP"
	case len(magic) >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd:
		return "ZSTD"
	case len(magic) >= 3 && string(magic[:3]) == "BZh":
		return "BZ2"
	case len(magic) >= 2 && magic[0] == 0x78 && (uint(magic[0])<<8|uint(magic[1]))%31 == 0 && strings.HasSuffix(strings.ToLower(name), ".deflate"):
		return "DEFLATE"
	}
	return "NONE"
}

// wrapErr turns a decoder's error into Snowflake's decompression message.
type wrapErr struct {
	r    io.Reader
	name string
	c    string
}

func (w *wrapErr) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if err != nil && err != io.EOF {
		err = decompressErr(w.name, w.c, err)
	}
	return n, err
}

func decompressErr(name, c string, err error) *LoadError {
	return &LoadError{Code: 100109, SQLState: "XX000", fileLevel: true,
		Message: fmt.Sprintf("Invalid data encountered during decompression for file: '%s',compression type used: '%s', cause: '%v'", name, c, err)}
}
