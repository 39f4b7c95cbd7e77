package artifacts

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/pgsnow/pgsnow/planner/typemap"
)

// File names inside the run directory.
const (
	ObjectsFile         = "snowflake_objects.sql"
	DecisionsFile       = "mapping_decisions.yml"
	RecommendationsFile = "improvement_recommendations.md"
)

// Options tune the artifacts.
type Options struct {
	Script typemap.ScriptOptions
	// Problems are the mapping's refusals (typemap.Error), listed in the
	// decisions file so a failed plan still explains itself.
	Problems []typemap.Problem
	// LargeTableRows and LargeTableBytes decide when a clustering key is
	// worth suggesting (defaults 100 M rows, 100 GB).
	LargeTableRows  int64
	LargeTableBytes int64
}

// Write writes the three artifacts into dir (created if missing).
func Write(dir string, m *typemap.Model, opts Options) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("artifacts: %w", err)
	}
	files := []struct {
		name string
		data []byte
	}{
		{ObjectsFile, []byte(Objects(m, opts))},
		{DecisionsFile, []byte(Decisions(m, opts))},
		{RecommendationsFile, []byte(Recommendations(m, opts))},
	}
	for _, f := range files {
		if err := writeAtomic(filepath.Join(dir, f.name), f.data); err != nil {
			return err
		}
	}
	return nil
}

// Objects is the content of snowflake_objects.sql.
func Objects(m *typemap.Model, opts Options) string { return m.Script(opts.Script).Render() }

func writeAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("artifacts: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("artifacts: %w", err)
	}
	return nil
}
