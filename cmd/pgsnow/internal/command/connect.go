package command

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/oauth2"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/providers/postgres"
	"github.com/pgsnow/pgsnow/providers/snowflake"
	"github.com/pgsnow/pgsnow/providers/snowflake/oauthlogin"
)

// runDir is the run directory of one command run:
// pgsnow-runs/<UTC timestamp>-<kind>, created. Two runs in the same second
// get a numeric suffix rather than sharing a directory.
func runDir(kind string, now time.Time) (string, error) {
	base := filepath.Join("pgsnow-runs", now.UTC().Format("20060102T150405Z")+"-"+kind)
	if err := os.MkdirAll("pgsnow-runs", 0o755); err != nil {
		return "", err
	}
	dir := base
	for i := 2; ; i++ {
		err := os.Mkdir(dir, 0o755)
		if err == nil {
			return dir, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return "", err
		}
		dir = fmt.Sprintf("%s-%d", base, i)
	}
}

// snowflakeConfig turns the spec's target block into a connection config.
// Secrets are revealed here, handed to the driver and nowhere else.
func snowflakeConfig(spec *lang.Spec) (snowflake.Config, error) {
	t := spec.Target
	if t == nil {
		return snowflake.Config{}, errors.New("the spec has no target block")
	}
	cfg := snowflake.Config{Account: t.Account, User: t.User, Database: t.Database, Warehouse: t.Warehouse, Role: t.Role,
		Host: t.Host, Port: t.Port, Protocol: t.Protocol}
	a := t.Auth
	cfg.Auth = snowflake.Auth{Method: a.Method, Password: a.Password.Reveal(), Token: a.Token.Reveal(), TokenURL: a.TokenURL,
		ClientID: a.ClientID, ClientSecret: a.ClientSecret.Reveal(), Scopes: a.Scopes}
	if a.TokenFile != "" {
		cfg.Auth.TokenFile = spec.Path(a.TokenFile)
	}
	if a.Method == "oauth" && a.Issuer != "" && a.ClientSecret.IsSet() {
		_, cfg.Auth.TokenURL = oauthlogin.Endpoints(a.Issuer)
	}
	if usesLogin(a) {
		// A public client: the token is the one `pgsnow login` cached,
		// asked for again at every new session (refreshed near expiry).
		ts, err := loginTokenSource(spec)
		if err != nil {
			return cfg, err
		}
		tok, err := ts.Token() // not logged in, or cannot refresh: say so now
		if err != nil {
			return cfg, err
		}
		cfg.Auth.Token, cfg.Auth.TokenSource = tok.AccessToken, ts
	}
	if a.Method == "keypair" {
		if a.Passphrase.IsSet() {
			return cfg, errors.New("target auth: encrypted private keys (passphrase) are not supported yet; give an unencrypted PKCS#8 or PKCS#1 key")
		}
		switch {
		case a.PrivateKey.IsSet():
			cfg.Auth.PrivateKey = []byte(a.PrivateKey.Reveal())
		case a.PrivateKeyPath != "":
			b, err := os.ReadFile(spec.Path(a.PrivateKeyPath))
			if err != nil {
				return cfg, fmt.Errorf("target auth: reading private_key_path: %w", err)
			}
			cfg.Auth.PrivateKey = b
		}
	}
	return cfg, nil
}

// loginTokenSource reads the target's `pgsnow login` cache at every call
// and refreshes the token through the cache's lock when it nears expiry.
// It serves the whole command, so its refreshes are not bound to a
// command step's context; each token request is bounded instead.
func loginTokenSource(spec *lang.Spec) (oauth2.TokenSource, error) {
	o, target, err := loginTarget(spec)
	if err != nil {
		return nil, err
	}
	cache, err := oauthlogin.DefaultCache()
	if err != nil {
		return nil, err
	}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Timeout: time.Minute})
	ts, err := cache.TokenSource(ctx, target, o.Config(""))
	if err != nil {
		return nil, fmt.Errorf("target %q: %w", spec.Target.Name, err)
	}
	return targetSource{name: spec.Target.Name, ts: ts}, nil
}

// targetSource names the target in the source's errors.
type targetSource struct {
	name string
	ts   oauth2.TokenSource
}

func (s targetSource) Token() (*oauth2.Token, error) {
	tok, err := s.ts.Token()
	if err != nil {
		return nil, fmt.Errorf("target %q: %w", s.name, err)
	}
	return tok, nil
}

// targetRef is the target's identity for the plan, never a secret.
func targetRef(spec *lang.Spec) plan.TargetRef {
	t := spec.Target
	return plan.TargetRef{Name: t.Name, Account: t.Account, Host: t.Host, Port: t.Port, Protocol: t.Protocol, User: t.User,
		Role: t.Role, Warehouse: t.Warehouse, Database: t.Database, AuthMethod: t.Auth.Method}
}

// planSource inspects and profiles one source (as analyze does) and reads
// its table counters and identity for the plan.
func planSource(ctx context.Context, spec *lang.Spec, s *lang.Source, progress io.Writer) (planner.Source, error) {
	in, err := analyzeSource(ctx, spec, s, progress)
	if err != nil {
		return planner.Source{}, err
	}
	src, err := postgres.NewSource(s.Name, s.ConnString().Reveal())
	if err != nil {
		return planner.Source{}, err
	}
	conn, err := src.Connect(ctx)
	if err != nil {
		return planner.Source{}, err
	}
	defer conn.Close(context.Background())
	stats, err := planner.ReadStats(ctx, conn, in.DB)
	if err != nil {
		return planner.Source{}, fmt.Errorf("source %q: reading table statistics: %w", s.Name, err)
	}
	cc := conn.Config()
	ref := plan.SourceRef{Name: s.Name, Host: cc.Host, Port: int(cc.Port), Database: cc.Database, User: cc.User, ServerVersion: in.DB.ServerVersion}
	// pg_control_system() needs pg_monitor or superuser; without it the
	// plan simply does not record the cluster's identity.
	var sysid string
	if conn.QueryRow(ctx, "SELECT system_identifier::text FROM pg_control_system()").Scan(&sysid) == nil {
		ref.SystemIdentifier = sysid
	}
	return planner.Source{Name: s.Name, DB: in.DB, Ref: ref, Stats: stats}, nil
}
