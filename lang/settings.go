package lang

import (
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Defaults and limits of the settings block (documented in docs/spec.md).
const (
	DefaultParallelism = 4
	MaxParallelism     = 16
	DefaultChunkRows   = 1_000_000
	MaxChunkRows       = 1_000_000_000
	DefaultChunkSize   = 200_000_000 // "200MB"
	MinChunkSize       = 1_000_000   // "1MB"
	MaxChunkSize       = 5_000_000_000
	DefaultStatePath   = "pgsnow.state"
	DefaultStateTable  = "pgsnow_state"
)

var settingsSchema = &hcl.BodySchema{
	Attributes: attrSchema("parallelism", "format", "compression", "chunk_rows", "chunk_size", "chunk_by",
		"identifier_case", "keep_files", "spill_dir", "profile", "profile_sample_percent", "stage_encryption"),
	Blocks: []hcl.BlockHeaderSchema{{Type: "retry"}},
}

var retrySchema = &hcl.BodySchema{Attributes: attrSchema("attempts", "min_backoff", "max_backoff")}

func defaultSettings() Settings {
	return Settings{
		Parallelism:          DefaultParallelism,
		Format:               "csv",
		Compression:          "zstd",
		ChunkRows:            DefaultChunkRows,
		ChunkSize:            DefaultChunkSize,
		ChunkBy:              "ctid",
		IdentifierCase:       "upper",
		StageEncryption:      "snowflake_full",
		Profile:              true,
		ProfileSamplePercent: 100,
		Retry:                defaultRetry(),
	}
}

// defaultRetry is issue 7's: 3 attempts, backoff from 4 s up to 60 s.
func defaultRetry() Retry {
	return Retry{Attempts: 3, MinBackoff: 4 * time.Second, MaxBackoff: time.Minute}
}

func defaultState() State {
	return State{Backend: "local", Path: DefaultStatePath}
}

func (d *decoder) settings(b *hcl.Block) Settings {
	s := defaultSettings()
	s.Decl = decl(b)
	c := d.content(b, settingsSchema)
	r := d.reader(c.Attributes, &s.Decl)
	if v, ok := r.integer("parallelism", 1, MaxParallelism); ok {
		s.Parallelism = int(v)
	}
	if v, ok := r.enum("format", "csv", "parquet"); ok {
		s.Format = v
	}
	if v, ok := r.enum("compression", "zstd", "gzip", "none", "snappy"); ok {
		s.Compression = v
		switch {
		case s.Format == "csv" && v == "snappy":
			r.errorf("compression", "Invalid compression", "snappy compresses Parquet pages; CSV files use \"zstd\", \"gzip\" or \"none\" (or set format = \"parquet\").")
		case s.Format == "parquet" && (v == "gzip" || v == "none"):
			r.errorf("compression", "Invalid compression", "Parquet pages are compressed with \"zstd\" or \"snappy\"; %q is for CSV files.", v)
		}
	}
	if v, ok := r.integer("chunk_rows", 1, MaxChunkRows); ok {
		s.ChunkRows = v
	}
	if v, ok := d.chunkSize(r); ok {
		s.ChunkSize = v
	}
	if v, ok := r.enum("chunk_by", "ctid", "primary_key"); ok {
		s.ChunkBy = v
	}
	if v, ok := r.enum("identifier_case", "upper", "preserve"); ok {
		s.IdentifierCase = v
	}
	if v, ok := r.boolean("keep_files"); ok {
		s.KeepFiles = v
	}
	if v, ok := r.nonEmpty("spill_dir"); ok {
		s.SpillDir = v
	}
	if v, ok := r.enum("stage_encryption", "snowflake_full", "snowflake_sse"); ok {
		s.StageEncryption = v
	}
	if v, ok := r.boolean("profile"); ok {
		s.Profile = v
	}
	if v, ok := r.float("profile_sample_percent", 0, 100); ok {
		s.ProfileSamplePercent = v
	}
	if len(c.Blocks) > 0 {
		s.Retry = d.retry(c.Blocks[0])
		d.dupBlocks(c.Blocks, "retry", "settings have one retry block")
	}
	return s
}

func (d *decoder) chunkSize(r *attrReader) (int64, bool) {
	raw, ok := r.str("chunk_size")
	if !ok {
		return 0, false
	}
	n, err := ParseByteSize(raw)
	if err != nil {
		if r.external["chunk_size"] {
			err = fmt.Errorf("%s is not a size (examples: \"200MB\", \"1GiB\")", r.q("chunk_size", raw))
		}
		r.errorf("chunk_size", "Invalid chunk_size", "%s.", err)
		return 0, false
	}
	if n < MinChunkSize || n > MaxChunkSize {
		r.errorf("chunk_size", "Invalid chunk_size", "chunk_size must be between 1MB and 5GB; %s is %d bytes.", r.q("chunk_size", raw), n)
		return 0, false
	}
	return n, true
}

func (d *decoder) retry(b *hcl.Block) Retry {
	rt := defaultRetry()
	rt.Decl = decl(b)
	c := d.content(b, retrySchema)
	r := d.reader(c.Attributes, &rt.Decl)
	if v, ok := r.integer("attempts", 1, 100); ok {
		rt.Attempts = int(v)
	}
	minOK, maxOK := false, false
	if v, ok := d.duration(r, "min_backoff"); ok {
		rt.MinBackoff, minOK = v, true
	}
	if v, ok := d.duration(r, "max_backoff"); ok {
		rt.MaxBackoff, maxOK = v, true
	}
	if (minOK || maxOK) && rt.MinBackoff > rt.MaxBackoff {
		name := "max_backoff"
		if !maxOK {
			name = "min_backoff"
		}
		r.errorf(name, "Invalid retry backoff", "min_backoff (%s) must not exceed max_backoff (%s).", rt.MinBackoff, rt.MaxBackoff)
	}
	return rt
}

// duration reads a Go duration ("500ms", "2s", "1m30s") in 1ms..1h.
func (d *decoder) duration(r *attrReader, name string) (time.Duration, bool) {
	raw, ok := r.str(name)
	if !ok {
		return 0, false
	}
	v, err := time.ParseDuration(raw)
	if err != nil || v < time.Millisecond || v > time.Hour {
		r.errorf(name, "Invalid "+name, "%q must be a duration between 1ms and 1h such as \"500ms\", \"2s\" or \"1m\"; got %s.", name, r.q(name, raw))
		return 0, false
	}
	return v, true
}

var stateSchemas = map[string]*hcl.BodySchema{
	"local":    {Attributes: attrSchema("path")},
	"postgres": {Attributes: attrSchema("dsn", "table")},
}

var stateTableRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$`)

func (d *decoder) state(b *hcl.Block) State {
	st := State{Decl: decl(b), Backend: b.Labels[0]}
	schema, ok := stateSchemas[st.Backend]
	if !ok {
		d.errAt(labelRange(b, 0), "Unsupported state backend", "State backend %q is not supported; use \"local\" or \"postgres\".", st.Backend)
		return defaultState()
	}
	c := d.content(b, schema)
	r := d.reader(c.Attributes, &st.Decl)
	switch st.Backend {
	case "local":
		st.Path = DefaultStatePath
		if p, ok := r.nonEmpty("path"); ok {
			st.Path = p
		}
	case "postgres":
		if !r.has("dsn") {
			d.missing(&st.Decl, "state \"postgres\"", "dsn", "")
		}
		st.DSN, _ = r.dsn()
		st.Table = DefaultStateTable
		if t, ok := r.nonEmpty("table"); ok {
			if !stateTableRe.MatchString(t) {
				r.errorf("table", "Invalid table", "State table %s must be a plain identifier or schema.table (letters, digits, _ and $).", r.q("table", t))
			}
			st.Table = t
		}
	}
	return st
}
