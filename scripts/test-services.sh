# Test-only services, sourced after lib.sh by ./test and bench/run.

# install_test_tools : the npm packages under tests/tools (s3rver, readers used by export tests, axe-core).
install_test_tools() {
  command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -f tests/tools/node_modules/.installed ] || [ tests/tools/package-lock.json -nt tests/tools/node_modules/.installed ]; then
    log "Installing test tools (npm)"
    (cd tests/tools && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci in tests/tools failed"
    touch tests/tools/node_modules/.installed
  fi
  # Stock s3rver answers with a misspelt XML namespace, so S3 clients (the MinIO SDK among them) read
  # every listing as empty. The fix is to use the namespace S3 uses.
  sed -i 's#http://doc.s3.amazonaws.com/2006-03-01/#http://s3.amazonaws.com/doc/2006-03-01/#g' \
    tests/tools/node_modules/s3rver/lib/controllers/*.js
}

# s3_start DIR PORT : an S3 server on 127.0.0.1:PORT storing under DIR (credentials S3RVER/S3RVER).
s3_start() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  node tests/tools/node_modules/s3rver/bin/s3rver.js -d "$dir" -a 127.0.0.1 -p "$port" --silent >"$dir.log" 2>&1 &
  S3_PID=$!
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  die "the S3 server did not start; see $dir.log"
}
