"""``make bench``: crawl throughput and memory of the full pipeline against a local news site.

1. Generates the demo news sites (``newsharvest.demo.sitegen``): 6 hosts (en, en, en, de, fr, es), about
   ``--articles-per-host`` articles each, every HTML page padded to 50-150 KB, with URL variants and
   syndicated copies (duplicates), section/tag/author fronts, feeds and sitemaps.
2. Times plain ``trafilatura.extract(html, url=...)`` on one core over the same HTML files, read from disk
   (the reference: what one core does with trafilatura alone), right before and again right after the 1x
   crawl: the machine's speed drifts by several percent over minutes, and the two runs bracket the crawl.
3. Serves the site on 127.0.0.1-127.0.0.6 with nginx (a temporary nginx.conf, one ``server`` per loopback
   address on one port) or, when nginx is not installed, with the project's Python demo server (slower: it
   then takes a share of the two cores the crawl needs; the report says which was used).
4. Runs the real ``scrapy crawl news`` (AutoThrottle off, high concurrency, LOG_LEVEL INFO) in a subprocess,
   sampling the resident memory of its whole process tree (the Scrapy process and its worker processes).

With ``--repeat N`` the 1x crawl runs N times and the median run is reported (every run's pages/s is listed
too): a 20-second crawl on a shared machine moves by several percent from one run to the next.

Headline: pipeline pages/s ÷ single-core trafilatura pages/s, where pipeline pages/s = pages processed
(``newsharvest/pages``: every HTML page that went through extraction) ÷ wall time of the crawl process, start-up
included. ``--scale 5`` also crawls a site five times larger and reports how pages/s and peak memory change.

Usage::

    python -m benchmarks.bench_crawl [--scale 5] [--write-md docs/BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.mdsection import write_generated  # noqa: E402
from benchmarks.memcgroup import CgroupReport, MemoryCgroup  # noqa: E402
from newsharvest.demo.server import DemoServer, free_port  # noqa: E402
from newsharvest.demo.sitegen import SiteTruth, generate_site, loopback_base_urls  # noqa: E402

SECTION = "## Throughput (`make bench`)"
PROGRAM = "benchmarks.bench_crawl"  # names the part of the section this program rewrites

#: Settings of the benchmark crawl: a loopback site, so politeness off and concurrency high.
CRAWL_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "64",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "DOWNLOAD_TIMEOUT": "30",
    "RETRY_TIMES": "1",
    "LOG_LEVEL": "INFO",
    "NEWSHARVEST_PROGRESS_INTERVAL": "10",
}


# -- the site -----------------------------------------------------------------------------------------------
def html_files(truth: SiteTruth, root: Path) -> list[tuple[str, Path]]:
    """(URL, file) of every generated HTML page, in URL order."""
    out = []
    for host in truth.hosts:
        folder = root / host.dir
        for path in sorted(folder.rglob("*.html")):
            rel = path.relative_to(folder).as_posix()
            if rel.endswith(".print.html"):
                continue
            url_path = rel[: -len("index.html")] if rel.endswith("index.html") else rel
            out.append((f"{host.base_url}/{url_path}", path))
    return out


# -- the servers --------------------------------------------------------------------------------------------
NGINX_CONF = """\
{user}worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    {mime}
    default_type application/octet-stream;
    types {{ application/rss+xml feed.xml; }}
    charset utf-8;
    charset_types text/html text/xml text/plain application/xml application/rss+xml application/atom+xml;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    absolute_redirect off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{servers}
}}
"""
NGINX_SERVER = """\
    server {{
        listen {address}:{port};
        root {root};
        index index.html;
        etag on;
    }}"""


@contextlib.contextmanager
def nginx(truth: SiteTruth, root: Path, nginx_bin: str, tmp: Path) -> Iterator[str]:
    from urllib.parse import urlsplit

    servers = []
    for host in truth.hosts:
        parts = urlsplit(host.base_url)
        servers.append(NGINX_SERVER.format(address=parts.hostname, port=parts.port, root=root / host.dir))
    mime = "/etc/nginx/mime.types"
    conf = tmp / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            user="user root;\n" if os.geteuid() == 0 else "",  # the generated files are private to us
            tmp=tmp, mime=f"include {mime};" if os.path.exists(mime) else "", servers="\n".join(servers),
        ),
        encoding="utf-8",
    )  # fmt: skip
    proc = subprocess.Popen([nginx_bin, "-c", str(conf), "-p", str(tmp)], stderr=subprocess.PIPE, text=True)
    try:
        _wait_listening(truth, proc)
        yield f"nginx ({subprocess.run([nginx_bin, '-v'], capture_output=True, text=True).stderr.strip()})"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextlib.contextmanager
def python_server(truth: SiteTruth, root: Path) -> Iterator[str]:
    server = DemoServer({h.base_url: root / h.dir for h in truth.hosts}).start()
    try:
        yield "the project's Python demo server (nginx not found: it competes with the crawl for the cores)"
    finally:
        server.close()


def _wait_listening(truth: SiteTruth, proc: subprocess.Popen) -> None:
    import urllib.request

    deadline = time.monotonic() + 10
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"nginx exited: {proc.stderr.read() if proc.stderr else ''}")
        try:
            for host in truth.hosts:
                urllib.request.urlopen(host.base_url + "/robots.txt", timeout=1).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


# -- measurements -------------------------------------------------------------------------------------------
def trafilatura_single_core(files: list[tuple[str, Path]]) -> tuple[int, float]:
    """(pages, seconds) of plain ``trafilatura.extract(html, url=...)`` over the files, in this process."""
    import trafilatura

    seconds = cpu = 0.0
    for url, path in files:
        html = path.read_bytes()
        start, start_cpu = time.perf_counter(), time.process_time()
        trafilatura.extract(html, url=url)
        seconds += time.perf_counter() - start
        cpu += time.process_time() - start_cpu
    return len(files), seconds, cpu


class TreeMemory:
    """Peak resident memory of a process and all its descendants, sampled every ``interval`` seconds.

    RSS counts a page shared by several processes (shared libraries, pages a process inherited when it was
    forked) once per process; PSS (proportional set size, from ``/proc/PID/smaps_rollup``) splits it between them, so the PSS
    of the tree is what the crawl really occupies. Both are reported.
    """

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self.peak_main = 0
        self.peak_pss = 0
        self.peak_pss_parts: dict[str, int] = {}
        self.samples: list[tuple[float, int]] = []
        self.peak_parts: dict[str, int] = {}
        self._cpu: dict[int, float] = {}  # pid -> last seen user+system seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def cpu_seconds(self) -> float:
        """CPU time of the whole tree (each process's last sample, so a slight undercount)."""
        return sum(self._cpu.values())

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _children(self) -> list[psutil.Process]:
        """The root's descendants; one that exits while they are listed ends the listing (next sample)."""
        try:
            return self.root.children(recursive=True)
        except psutil.NoSuchProcess:
            return []

    def _run(self) -> None:
        start = time.monotonic()
        while not self._stop.is_set():
            children = self._children()
            try:
                main = self.root.memory_info().rss
                total = main
                times = self.root.cpu_times()
                self._cpu[self.root.pid] = times.user + times.system
                for child in children:
                    with contextlib.suppress(psutil.Error):
                        total += child.memory_info().rss
                        times = child.cpu_times()
                        self._cpu[child.pid] = times.user + times.system
            except psutil.Error:
                break
            pss_parts: dict[str, int] = {}
            for p in [self.root, *children]:
                with contextlib.suppress(psutil.Error):
                    pss_parts[" ".join(p.cmdline()[1:4])[:60] + f" [{p.pid}]"] = p.memory_full_info().pss
            if sum(pss_parts.values()) > self.peak_pss:
                self.peak_pss = sum(pss_parts.values())
                self.peak_pss_parts = {k: v // 2**20 for k, v in pss_parts.items()}
            if total > self.peak:
                parts = {}
                for p in [self.root, *children]:
                    with contextlib.suppress(psutil.Error):
                        parts[" ".join(p.cmdline()[1:4])[:60] + f" [{p.pid}]"] = p.memory_info().rss // 2**20
                self.peak_parts = parts
            self.peak, self.peak_main = max(self.peak, total), max(self.peak_main, main)
            self.samples.append((time.monotonic() - start, total))
            self._stop.wait(self.interval)


@dataclass
class CrawlResult:
    pages: int
    articles: int
    seconds: float
    peak_rss_mb: float
    peak_main_rss_mb: float
    rss_mid_mb: float
    returncode: int
    workers: str
    peak_parts: dict[str, int]
    cpu_seconds: float
    peak_pss_mb: float
    peak_pss_parts: dict[str, int]

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def crawl(
    sources: Path, output: Path, settings: dict[str, str], log: Path, cgroup: MemoryCgroup | None = None
) -> CrawlResult:
    """One ``scrapy crawl news``; with ``cgroup``, its whole process tree runs inside that memory cgroup."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sources={sources}",
           "-s", f"NEWSHARVEST_OUTPUT={output}"]  # fmt: skip
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with log.open("w") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=err,
            preexec_fn=cgroup.join if cgroup is not None else None,
        )  # fmt: skip
        with TreeMemory(proc.pid) as memory:
            returncode = proc.wait()
        seconds = time.perf_counter() - start
    text = log.read_text(encoding="utf-8", errors="replace")
    pages = _stat(text, "newsharvest/pages")
    written = re.search(r"articles written: (\d+)", text)
    samples = [rss for t, rss in memory.samples if t >= seconds / 2]
    return CrawlResult(
        pages=pages, articles=int(written.group(1)) if written else 0, seconds=seconds,
        peak_rss_mb=memory.peak / 2**20, peak_main_rss_mb=memory.peak_main / 2**20,
        rss_mid_mb=(sum(samples) / len(samples) / 2**20) if samples else 0.0, returncode=returncode,
        workers=settings.get("NEWSHARVEST_WORKERS", "default (all cores)"), peak_parts=memory.peak_parts,
        cpu_seconds=memory.cpu_seconds, peak_pss_mb=memory.peak_pss / 2**20, peak_pss_parts=memory.peak_pss_parts,
    )  # fmt: skip


def _stat(log: str, key: str) -> int:
    match = re.search(rf"'{re.escape(key)}': (\d+)", log)
    return int(match.group(1)) if match else 0


# -- one run ------------------------------------------------------------------------------------------------
def _crawl_limited(
    sources: Path, out: Path, settings: dict[str, str], log: Path, args: argparse.Namespace, scale: int
) -> tuple[CrawlResult, CgroupReport | None]:
    """One crawl, in a memory cgroup when ``--memory-limit-mb`` is given and one can be made."""
    cgroup = None
    if args.memory_limit_mb:
        cgroup = MemoryCgroup.create(args.memory_limit_mb, f"newsharvest-bench-x{scale}-{os.getpid()}")
        if cgroup is None:
            print(f"[x{scale}] no memory cgroup could be created (needs Linux and the right to): no limit")
    try:
        crawled = crawl(sources, out, settings, log, cgroup)
        report = cgroup.report() if cgroup is not None else None
    finally:
        if cgroup is not None:
            cgroup.remove()
    if report is not None:
        peak = f"{report.peak_mb:.0f} MB" if report.peak_mb is not None else "not reported"
        print(
            f"[x{scale}] memory cgroup, limit {report.limit_mb} MB, no swap: peak usage {peak},"
            f" limit reached {report.limit_reached} times, OOM kills {report.oom_kills}",
            flush=True,
        )
    return crawled, report


def run_scale(
    work: Path, scale: int, args: argparse.Namespace, nginx_bin: str | None, traf: bool
) -> dict[str, object]:
    hosts = 6
    port = free_port(hosts)
    site = work / f"site-x{scale}"
    print(f"[x{scale}] generating the site ...", flush=True)
    started = time.perf_counter()
    truth = generate_site(
        site, hosts=hosts, articles_per_host=args.articles_per_host * scale, min_page_kb=args.min_page_kb,
        max_page_kb=args.max_page_kb, base_urls=loopback_base_urls(hosts, port), seed=args.seed,
    )  # fmt: skip
    files = html_files(truth, site)
    size_mb = sum(p.stat().st_size for _, p in files) / 2**20
    print(f"[x{scale}] {len(files)} HTML pages, {size_mb:.0f} MB ({time.perf_counter() - started:.0f} s)")
    result: dict[str, object] = {"scale": scale, "html_files": len(files), "html_mb": round(size_mb, 1)}
    traf_runs: list[tuple[int, float, float]] = []

    def measure_trafilatura(when: str) -> None:
        n, seconds, cpu = trafilatura_single_core(files)
        traf_runs.append((n, seconds, cpu))
        result[f"trafilatura_{when}_pages_per_s"] = round(n / seconds, 1)
        print(
            f"[x{scale}] trafilatura.extract, one core, {when} the crawl: {n} pages in {seconds:.1f} s"
            f" = {n / seconds:.1f} pages/s",
            flush=True,
        )

    if traf:
        measure_trafilatura("before")
    sources = work / f"sources-x{scale}.yaml"
    sources.write_text(truth.sources_yaml(languages=None), encoding="utf-8")  # all languages kept
    settings = dict(CRAWL_SETTINGS)
    if args.workers is not None:
        settings["NEWSHARVEST_WORKERS"] = str(args.workers)
    server = nginx(truth, site, nginx_bin, work / "nginx") if nginx_bin else python_server(truth, site)
    if nginx_bin:
        shutil.rmtree(work / "nginx", ignore_errors=True)
        (work / "nginx").mkdir()
    repeat = max(1, args.repeat) if traf else 1
    runs: list[tuple[CrawlResult, CgroupReport | None]] = []
    with server as server_name:
        print(f"[x{scale}] serving with {server_name}; crawling ...", flush=True)
        for attempt in range(repeat):
            out = work / f"output-x{scale}"
            shutil.rmtree(out, ignore_errors=True)
            runs.append(_crawl_limited(sources, out, settings, work / f"crawl-x{scale}.log", args, scale))
            crawled = runs[-1][0]
            if crawled.returncode != 0:
                raise SystemExit(f"crawl failed ({crawled.returncode}); see {work / f'crawl-x{scale}.log'}")
            if repeat > 1:
                print(
                    f"[x{scale}] crawl {attempt + 1} of {repeat}: {crawled.pages_per_s:.1f} pages/s",
                    flush=True,
                )
    # The median run by pages/s is the figure; memory is the highest of all runs.
    crawled, report = sorted(runs, key=lambda run: run[0].pages_per_s)[len(runs) // 2]
    if len(runs) > 1:
        result["runs_pages_per_s"] = [round(run[0].pages_per_s, 1) for run in runs]
        crawled = dataclasses.replace(
            crawled,
            peak_rss_mb=max(run[0].peak_rss_mb for run in runs),
            peak_pss_mb=max(run[0].peak_pss_mb for run in runs),
            peak_main_rss_mb=max(run[0].peak_main_rss_mb for run in runs),
        )
        reports = [run[1] for run in runs if run[1] is not None]
        if reports:
            report = max(reports, key=lambda r: (r.oom_kills, r.limit_reached, r.peak_mb or 0))
    if report is not None:
        result["cgroup"] = asdict(report)
    if traf:
        # Measured again right after the crawl: the machine's speed drifts over minutes (shared hosts), and
        # the ratio is taken against both runs together, which brackets the crawl in time.
        measure_trafilatura("after")
        n = sum(run[0] for run in traf_runs)
        seconds, cpu = sum(run[1] for run in traf_runs), sum(run[2] for run in traf_runs)
        result["trafilatura_pages"], result["trafilatura_seconds"] = traf_runs[0][0], round(seconds, 2)
        result["trafilatura_cpu_ms_per_page"] = round(1000 * cpu / n, 2)
        result["trafilatura_pages_per_s"] = round(n / seconds, 1)
    result.update({k: (round(v, 2) if isinstance(v, float) else v) for k, v in asdict(crawled).items()})
    result["pages_per_s"] = round(crawled.pages_per_s, 1)
    result["cpu_ms_per_page"] = round(1000 * crawled.cpu_seconds / max(1, crawled.pages), 2)
    result["server"] = server_name
    print(
        f"[x{scale}] crawl: {crawled.pages} pages in {crawled.seconds:.1f} s = {crawled.pages_per_s:.1f} pages/s;"
        f" {crawled.articles} articles written; peak RSS {crawled.peak_rss_mb:.0f} MB (tree),"
        f" {crawled.peak_main_rss_mb:.0f} MB (Scrapy process); peak PSS {crawled.peak_pss_mb:.0f} MB (tree)",
        flush=True,
    )
    if not args.keep:
        shutil.rmtree(site, ignore_errors=True)
    return result


def machine() -> str:
    model = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = next((line.split(":", 1)[1].strip() for line in out.splitlines() if "Model name" in line), "")
    return f"{model or platform.processor()}, nproc {os.cpu_count()}, {psutil.virtual_memory().total / 2**30:.0f} GB"


def markdown(results: list[dict[str, object]], command: str) -> str:
    import trafilatura

    base = results[0]
    ratio = float(base["pages_per_s"]) / float(base["trafilatura_pages_per_s"])
    lines = [
        f"- Date: {dt.date.today().isoformat()}",
        f"- Machine: {machine()}; Python {platform.python_version()}, trafilatura {trafilatura.__version__}",
        f"- Command: `{command}`",
        f"- Server: {base['server']}",
        f"- Site: 6 hosts (en, en, en, de, fr, es), {base['html_files']} HTML pages at 1x "
        f"({base['html_mb']} MB, 50-150 KB each), URL variants and syndicated copies; all languages kept.",
        "- Crawl: `scrapy crawl news`, AutoThrottle off, CONCURRENT_REQUESTS 64, workers = "
        f"{base['workers']}; pages/s = pages through extraction ÷ wall time of the crawl process "
        "(start-up included); RSS = peak of the crawl's process tree (Scrapy process + workers).",
        "",
        f"**Headline: pipeline {base['pages_per_s']} pages/s ÷ single-core trafilatura "
        f"{base['trafilatura_pages_per_s']} pages/s = {ratio:.2f}**",
        "",
        "| scale | pages | articles written | seconds | pages/s | CPU ms/page (tree) | peak RSS tree (MB) "
        "| peak PSS tree (MB) | peak RSS Scrapy (MB) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['scale']}x | {r['pages']} | {r['articles']} | {r['seconds']} | {r['pages_per_s']} | "
            f"{r['cpu_ms_per_page']} | {r['peak_rss_mb']:.0f} | {r['peak_pss_mb']:.0f} | {r['peak_main_rss_mb']:.0f} |"
        )
    lines.append("")
    if base.get("runs_pages_per_s"):
        runs = base["runs_pages_per_s"]
        ratios = ", ".join(f"{float(v) / float(base['trafilatura_pages_per_s']):.2f}" for v in runs)
        lines.append(
            f"The 1x crawl ran {len(runs)} times: {', '.join(str(v) for v in runs)} pages/s (ratios {ratios}); "
            "the table gives the median run, with the highest memory of all runs."
        )
    lines.append(
        f"Single-core `trafilatura.extract(html, url=...)` over the same {base['trafilatura_pages']} files "
        f"read from disk, once right before and once right after the 1x crawl: "
        f"{base['trafilatura_before_pages_per_s']} and {base['trafilatura_after_pages_per_s']} pages/s, "
        f"{base['trafilatura_pages_per_s']} pages/s over both ({base['trafilatura_seconds']} s, "
        f"{base['trafilatura_cpu_ms_per_page']} ms CPU/page)."
    )
    limited = [r for r in results if r.get("cgroup")]
    if limited:
        parts = []
        for r in limited:
            c = r["cgroup"]
            peak = f"peak usage {c['peak_mb']:.0f} MB" if c["peak_mb"] is not None else "peak not reported"
            parts.append(
                f"{r['scale']}x: {peak}, limit reached {c['limit_reached']} times, {c['oom_kills']} OOM kills"
            )
        lines.append(
            f"Each crawl ran in a memory cgroup limited to {limited[0]['cgroup']['limit_mb']} MB without swap "
            f"(`--memory-limit-mb`; the usage includes the page cache of the files the crawl writes): "
            + "; ".join(parts)
            + "."
        )
    if len(results) > 1:
        big = results[-1]
        lines.append(
            f"At {big['scale']}x: pages/s {float(big['pages_per_s']) / float(base['pages_per_s']):.2f}x the 1x "
            f"figure, peak RSS {float(big['peak_rss_mb']) / float(base['peak_rss_mb']):.2f}x and peak PSS "
            f"{float(big['peak_pss_mb']) / float(base['peak_pss_mb']):.2f}x the 1x figures."
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles-per-host", type=int, default=450)
    parser.add_argument("--min-page-kb", type=int, default=50)
    parser.add_argument("--max-page-kb", type=int, default=150)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=int, default=1, help="also crawl a site this many times larger")
    parser.add_argument("--workers", type=int, help="NEWSHARVEST_WORKERS (default: the setting's default)")
    parser.add_argument("--server", choices=("auto", "nginx", "python"), default="auto")
    parser.add_argument("--dir", type=Path, help="work folder (default: a temporary one, removed)")
    parser.add_argument("--keep", action="store_true", help="keep the generated sites")
    parser.add_argument("--write-md", type=Path, help="write the figures into this Markdown file")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    parser.add_argument(
        "--repeat", type=int, default=1,
        help="crawl the 1x site this many times and report the median run (a 20-s crawl moves by several"
        " percent from run to run on a shared machine); all runs' pages/s are listed",
    )  # fmt: skip
    parser.add_argument(
        "--memory-limit-mb", type=int, default=0,
        help="run each crawl in a memory cgroup with this hard limit and no swap (Linux, needs the right to"
        " create cgroups): a crawl that completes without reaching it fits in that much memory",
    )  # fmt: skip
    args = parser.parse_args(argv)

    nginx_bin = None
    if args.server != "python":
        nginx_bin = shutil.which("nginx") or next(
            (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.path.exists(p)), None
        )
        if nginx_bin is None:
            if args.server == "nginx":
                raise SystemExit("nginx not found")
            print("nginx not found: serving with the project's Python demo server instead", flush=True)
    work = args.dir or Path(tempfile.mkdtemp(prefix="nh-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = [run_scale(work, 1, args, nginx_bin, traf=True)]
        if args.scale > 1:
            results.append(run_scale(work, args.scale, args, nginx_bin, traf=False))
    finally:
        if args.dir is None:
            shutil.rmtree(work, ignore_errors=True)
    command = "python -m benchmarks.bench_crawl " + " ".join(argv if argv is not None else sys.argv[1:])
    section = markdown(results, command.strip())
    print()
    print(f"{SECTION}\n\n{section}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    if args.write_md:
        write_generated(args.write_md, SECTION, PROGRAM, section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
