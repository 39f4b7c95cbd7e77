package sfemu

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// PUT transports. With putHTTP (the default) the emulator answers PUT the way
// a GCS-backed Snowflake account does: a presigned URL per file, pointing back
// at the emulator, and client-side encryption material; the driver encrypts
// and uploads with an HTTP PUT and the emulator decrypts into the stage
// directory. This is the path on which gosnowflake supports PUT from a stream
// (WithFileStream). With putLocal the stage is LOCAL_FS and the driver writes
// into StageDir itself (same machine only; no stream PUT in v1.19.1).
const (
	putHTTP  = "http"
	putLocal = "local"
)

type uploadTarget struct {
	dir, name string
	kek       []byte // the "query stage master key" the driver wraps the file key with; nil for SNOWFLAKE_SSE
	created   time.Time
}

type uploads struct {
	mu sync.Mutex
	m  map[string]*uploadTarget
}

func (u *uploads) add(t *uploadTarget) string {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.m == nil {
		u.m = map[string]*uploadTarget{}
	}
	for k, v := range u.m {
		if time.Since(v.created) > time.Hour {
			delete(u.m, k)
		}
	}
	tok := newToken()
	u.m[tok] = t
	return tok
}

func (u *uploads) take(tok string) *uploadTarget {
	u.mu.Lock()
	defer u.mu.Unlock()
	t := u.m[tok]
	delete(u.m, tok)
	return t
}

// putHTTPInfo builds the PUT answer for putHTTP: stage info with a presigned
// URL for the file named last in the command (the driver re-sends PUT once
// per file with that file's destination name, gosnowflake
// updateFileMetadataWithPresignedURL) and, for a client-side encrypted
// stage, encryption material. A SNOWFLAKE_SSE stage gets none, as in
// Snowflake: the driver then uploads the file as it is.
func (se *session) putHTTPInfo(dir, prefix, local string, encrypted bool) map[string]any {
	t := &uploadTarget{dir: dir, name: filepath.Base(local), created: time.Now()}
	if encrypted {
		// One key per session: the driver keeps the material of the first
		// PUT answer while it fetches the per-file presigned URLs.
		if se.kek == nil {
			se.kek = make([]byte, 32)
			if _, err := io.ReadFull(randReader, se.kek); err != nil {
				panic(err)
			}
		}
		t.kek = se.kek
	}
	tok := se.srv.uploads.add(t)
	url := "http://" + se.reqHost + "/sfemu-stage/" + tok
	info := map[string]any{
		"stageInfo": map[string]any{
			"locationType": "GCS", "location": "sfemu-stage/" + prefix, "path": prefix, "region": "local",
			"presignedUrl": url, "creds": map[string]any{},
		},
	}
	if encrypted {
		info["encryptionMaterial"] = map[string]any{
			"queryStageMasterKey": base64.StdEncoding.EncodeToString(t.kek),
			"queryId":             newUUID(),
			"smkId":               1,
		}
	}
	return info
}

// handleStageUpload receives one file for a presigned URL.
// Answering 400 makes the driver ask for a new presigned URL.
func (s *Server) handleStageUpload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPut {
		http.Error(w, "PUT only", http.StatusMethodNotAllowed)
		return
	}
	t := s.uploads.take(strings.TrimPrefix(r.URL.Path, "/sfemu-stage/"))
	if t == nil {
		http.Error(w, "unknown or used upload URL", http.StatusBadRequest)
		return
	}
	if err := t.receive(r); err != nil {
		s.logf("sfemu: stage upload %s failed: %v", t.name, err)
		http.Error(w, "upload failed: "+err.Error(), http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (t *uploadTarget) receive(r *http.Request) error {
	if t.kek == nil {
		if r.Header.Get("x-goog-meta-encryptiondata") != "" {
			return errors.New("a client-side encrypted file for a SNOWFLAKE_SSE stage")
		}
		return t.store(func(w io.Writer) error {
			_, err := io.Copy(w, r.Body)
			return err
		})
	}
	var ed struct {
		WrappedContentKey struct {
			EncryptedKey string `json:"EncryptedKey"`
		} `json:"WrappedContentKey"`
		ContentEncryptionIV string `json:"ContentEncryptionIV"`
	}
	if err := json.Unmarshal([]byte(r.Header.Get("x-goog-meta-encryptiondata")), &ed); err != nil {
		return fmt.Errorf("encryption metadata: %w", err)
	}
	wrapped, err1 := base64.StdEncoding.DecodeString(ed.WrappedContentKey.EncryptedKey)
	iv, err2 := base64.StdEncoding.DecodeString(ed.ContentEncryptionIV)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	kb, err := aes.NewCipher(t.kek)
	if err != nil {
		return err
	}
	if len(wrapped)%aes.BlockSize != 0 || len(wrapped) == 0 || len(iv) != aes.BlockSize {
		return errors.New("malformed file key or IV")
	}
	fileKey := make([]byte, len(wrapped))
	for i := 0; i < len(wrapped); i += aes.BlockSize { // ECB, as the driver wraps it
		kb.Decrypt(fileKey[i:i+aes.BlockSize], wrapped[i:i+aes.BlockSize])
	}
	if fileKey, err = unpad(fileKey); err != nil {
		return err
	}
	fb, err := aes.NewCipher(fileKey)
	if err != nil {
		return err
	}
	return t.store(func(w io.Writer) error {
		return decryptCBC(w, r.Body, cipher.NewCBCDecrypter(fb, iv))
	})
}

// store writes the file through a temporary name and renames it into
// place: a replaced file is never a mix of old and new bytes.
func (t *uploadTarget) store(write func(io.Writer) error) error {
	if err := os.MkdirAll(t.dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(t.dir, ".upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 256<<10)
	if err := write(bw); err != nil {
		tmp.Close()
		return err
	}
	if err := errors.Join(bw.Flush(), tmp.Close()); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(t.dir, t.name))
}

// decryptCBC streams src through mode into dst, removing the final padding.
func decryptCBC(dst io.Writer, src io.Reader, mode cipher.BlockMode) error {
	br := bufio.NewReaderSize(src, 256<<10)
	buf := make([]byte, 64<<10)
	var held []byte // the last decrypted block, written only once more data follows
	for {
		n, err := io.ReadFull(br, buf)
		if n%aes.BlockSize != 0 {
			return errors.New("ciphertext is not a whole number of blocks")
		}
		if n > 0 {
			if _, werr := dst.Write(held); werr != nil {
				return werr
			}
			mode.CryptBlocks(buf[:n], buf[:n])
			if _, werr := dst.Write(buf[:n-aes.BlockSize]); werr != nil {
				return werr
			}
			held = append(held[:0], buf[n-aes.BlockSize:n]...)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return err
		}
	}
	last, err := unpad(held)
	if err != nil {
		return err
	}
	_, err = dst.Write(last)
	return err
}

func unpad(b []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, errors.New("empty ciphertext")
	}
	n := int(b[len(b)-1])
	if n == 0 || n > aes.BlockSize || n > len(b) {
		return nil, errors.New("invalid padding")
	}
	return b[:len(b)-n], nil
}
