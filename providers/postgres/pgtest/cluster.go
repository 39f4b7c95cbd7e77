package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Options configure New. The zero value is a good default.
type Options struct {
	// Port to listen on; 0 picks a free one.
	Port int
	// Dir holds the cluster; empty means a new temporary directory that
	// Close removes. A given Dir is kept on Close.
	Dir string
	// BinDir holds initdb and postgres; empty means the newest
	// /usr/lib/postgresql/*/bin, or the directory of initdb on PATH.
	BinDir string
	// Settings are extra server settings (name → value), passed as -c.
	Settings map[string]string
}

// Cluster is a running (or stopped) PostgreSQL server.
type Cluster struct {
	mu       sync.Mutex
	opts     Options
	dir      string
	ownsDir  bool
	port     int
	cmd      *exec.Cmd
	exited   chan struct{}
	external *url.URL // set when the cluster is PGSNOW_TEST_DSN
}

// New creates and starts a cluster.
func New(opts Options) (*Cluster, error) {
	bin, err := findBinDir(opts.BinDir)
	if err != nil {
		return nil, err
	}
	opts.BinDir = bin
	c := &Cluster{opts: opts, dir: opts.Dir, port: opts.Port}
	if c.dir == "" {
		c.dir, err = os.MkdirTemp("", "pgtest-")
		if err != nil {
			return nil, err
		}
		c.ownsDir = true
	}
	if c.port == 0 {
		if c.port, err = freePort(); err != nil {
			c.removeDir()
			return nil, err
		}
	}
	if err := c.initdb(); err != nil {
		c.removeDir()
		return nil, err
	}
	if err := c.Start(); err != nil {
		c.removeDir()
		return nil, err
	}
	return c, nil
}

// Port is the TCP port the server listens on (127.0.0.1).
func (c *Cluster) Port() int { return c.port }

// Host is the address the server listens on.
func (c *Cluster) Host() string {
	if c.external != nil {
		return c.external.Hostname()
	}
	return "127.0.0.1"
}

// DSN returns a connection URL for database on this cluster.
func (c *Cluster) DSN(database string) string {
	if c.external != nil {
		u := *c.external
		u.Path = "/" + database
		return u.String()
	}
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, url.PathEscape(database))
}

// CreateDatabase creates an empty database.
func (c *Cluster) CreateDatabase(ctx context.Context, name string) error {
	return c.admin(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
}

// DropDatabase drops a database, closing its connections.
func (c *Cluster) DropDatabase(ctx context.Context, name string) error {
	return c.admin(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
}

func (c *Cluster) admin(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, c.DSN("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

func (c *Cluster) dataDir() string { return filepath.Join(c.dir, "data") }
func (c *Cluster) logFile() string { return filepath.Join(c.dir, "postgres.log") }

func (c *Cluster) initdb() error {
	if err := os.MkdirAll(c.dataDir(), 0o700); err != nil {
		return err
	}
	if err := c.chownToServerUser(c.dir, c.dataDir()); err != nil {
		return err
	}
	cmd := exec.Command(filepath.Join(c.opts.BinDir, "initdb"),
		"-D", c.dataDir(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")
	c.runAsServerUser(cmd)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pgtest: initdb failed: %v\n%s", err, out)
	}
	return nil
}

// Start starts a stopped cluster and waits until it accepts connections.
func (c *Cluster) Start() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.external != nil {
		return errors.New("pgtest: cannot start an external server (PGSNOW_TEST_DSN)")
	}
	if c.cmd != nil {
		return errors.New("pgtest: cluster already running")
	}
	settings := map[string]string{
		"listen_addresses":          "127.0.0.1",
		"port":                      strconv.Itoa(c.port),
		"unix_socket_directories":   c.dir,
		"fsync":                     "off",
		"synchronous_commit":        "off",
		"full_page_writes":          "off",
		"max_connections":           "200",
		"max_prepared_transactions": "10",
	}
	for k, v := range c.opts.Settings {
		settings[k] = v
	}
	args := []string{"-D", c.dataDir()}
	keys := make([]string, 0, len(settings))
	for k := range settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		args = append(args, "-c", k+"="+settings[k])
	}
	logf, err := os.OpenFile(c.logFile(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd := exec.Command(filepath.Join(c.opts.BinDir, "postgres"), args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	c.runAsServerUser(cmd)
	// Own process group: a Ctrl-C aimed at the test binary must not kill the
	// server before Close gets to stop it cleanly.
	cmd.SysProcAttr.Setpgid = true
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("pgtest: start postgres: %w", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); logf.Close(); close(exited) }()
	c.cmd, c.exited = cmd, exited
	return c.waitReady(exited)
}

func (c *Cluster) waitReady(exited chan struct{}) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		conn, err := pgx.Connect(ctx, c.DSN("postgres"))
		cancel()
		if err == nil {
			conn.Close(context.Background())
			return nil
		}
		select {
		case <-exited:
			c.cmd = nil
			return fmt.Errorf("pgtest: postgres exited during start-up:\n%s", c.logTail())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("pgtest: postgres not ready after 60s: %v\n%s", err, c.logTail())
		}
	}
}

// Stop shuts the server down (fast mode) and keeps its data.
func (c *Cluster) Stop() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.external != nil {
		return errors.New("pgtest: cannot stop an external server (PGSNOW_TEST_DSN)")
	}
	if c.cmd == nil {
		return nil
	}
	// SIGINT is PostgreSQL's "fast shutdown": abort transactions, exit cleanly.
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-c.exited:
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.exited
	}
	c.cmd = nil
	return nil
}

// Restart stops and starts the server; clients see their connections dropped.
func (c *Cluster) Restart() error {
	if err := c.Stop(); err != nil {
		return err
	}
	return c.Start()
}

// Close stops the server and removes the cluster's directory if it made it.
func (c *Cluster) Close() error {
	if c.external != nil {
		return nil
	}
	err := c.Stop()
	c.removeDir()
	return err
}

func (c *Cluster) removeDir() {
	if c.ownsDir && c.dir != "" {
		os.RemoveAll(c.dir)
	}
}

func (c *Cluster) logTail() string {
	b, _ := os.ReadFile(c.logFile())
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 20 {
		lines = lines[len(lines)-20:]
	}
	return strings.Join(lines, "\n")
}

// runAsServerUser makes cmd run as "postgres" when we are root.
func (c *Cluster) runAsServerUser(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{}
	if os.Geteuid() != 0 {
		return
	}
	uid, gid, err := serverUser()
	if err == nil {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: uid, Gid: gid}
	}
}

func (c *Cluster) chownToServerUser(paths ...string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	uid, gid, err := serverUser()
	if err != nil {
		return err
	}
	for _, p := range paths {
		if err := os.Chown(p, int(uid), int(gid)); err != nil {
			return err
		}
	}
	return nil
}

func serverUser() (uint32, uint32, error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return 0, 0, fmt.Errorf("pgtest: running as root needs a %q user to run the server: %w", "postgres", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return uint32(uid), uint32(gid), nil
}

func findBinDir(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Slice(matches, func(i, j int) bool { return versionOf(matches[i]) > versionOf(matches[j]) })
	if len(matches) > 0 {
		return filepath.Dir(matches[0]), nil
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New("pgtest: no PostgreSQL server binaries found (looked for /usr/lib/postgresql/*/bin/initdb and initdb on PATH); install the postgresql package")
}

func versionOf(initdb string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(initdb))))
	return v
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
