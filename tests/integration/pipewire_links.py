#!/usr/bin/env python3
"""A stand-in session manager for headless PipeWire tests (used by cli_live.sh).

PipeWire leaves two jobs to a session manager (WirePlumber on a desktop): configuring the
ports of client streams and linking nodes. A test daemon has none, so this does both for the
streams that name a target (what `paplay -d SINK`, `parec -d SOURCE` and any PulseAudio client
opening a named device set as target.object) and for the links it is told about, using only
pw-dump, pw-cli and pw-link:

    pipewire_links.py [--timeout S] [--keep-running] [SRC=>DST ...]

SRC and DST name nodes: `node.name` by default, or `KEY=VALUE` for any node property
(`media.name=cleaned microphone`). SRC's output ports (a sink's are its monitor ports) are
linked to DST's input ports, channel by channel (a mono side goes to or from every channel).
A stream node without ports first gets a DSP port configuration (what WirePlumber does).

A playback stream is linked to its target's inputs, a recording stream to its target's
outputs (a sink's monitor). Exits 0 once every link exists (or, with --keep-running, keeps making them until killed, for
nodes that come and go); exits 1 with what was missing after --timeout seconds.
"""
import argparse
import json
import subprocess
import sys
import time


def pw_dump():
    try:
        out = subprocess.run(["pw-dump"], capture_output=True, text=True, timeout=10).stdout
        return json.loads(out) if out.strip() else []
    except (subprocess.TimeoutExpired, json.JSONDecodeError):
        return []


def node_ports(objects, node_id, direction):
    ports = [o for o in objects if o["type"] == "PipeWire:Interface:Port"
             and o["info"]["props"].get("node.id") == node_id and o["info"]["direction"] == direction]
    return sorted(ports, key=lambda p: p["id"])


def channels_of(node):
    props = node["info"]["props"]
    position = props.get("audio.position")
    if isinstance(position, str):
        names = position.strip("[] ").replace(",", " ").split()
        if names:
            return names
    count = int(props.get("audio.channels", 1) or 1)
    return ["MONO"] if count == 1 else ["FL", "FR", "FC", "LFE", "RL", "RR", "SL", "SR"][:count]


def configure_ports(node, direction):
    """Gives a port-less stream node DSP ports on one side ("Output" or "Input"), as a session
    manager would. (A filter-chain's virtual source or sink is a stream too.)"""
    positions = channels_of(node)
    param = ("{ direction: %s, mode: dsp, monitor: false, control: false, format: { mediaType: audio, "
             "mediaSubtype: raw, format: F32P, rate: 48000, channels: %d, position: [ %s ] } }"
             % (direction, len(positions), " ".join(positions)))
    subprocess.run(["pw-cli", "set-param", str(node["id"]), "PortConfig", param],
                   capture_output=True, timeout=10)


def channel(port):
    return port["info"]["props"].get("audio.channel", "MONO")


def wanted_pairs(outputs, inputs):
    if len(outputs) == 1 or len(inputs) == 1:
        return [(o, i) for o in outputs for i in inputs]
    by_channel = {channel(i): i for i in inputs}
    pairs = [(o, by_channel[channel(o)]) for o in outputs if channel(o) in by_channel]
    return pairs or list(zip(outputs, inputs))


def target_rules(nodes):
    """SRC=>DST rules for streams that name their target (by node.name or object.serial)."""
    rules = []
    for node in nodes:
        props = node["info"]["props"]
        target, media_class = props.get("target.object"), props.get("media.class", "")
        if target is None or not media_class.startswith("Stream/"):
            continue
        peers = [n for n in nodes if str(target) in (n["info"]["props"].get("node.name"),
                                                    str(n["info"]["props"].get("object.serial")))]
        if not peers:
            continue
        me, peer = "object.serial=%s" % props.get("object.serial"), "object.serial=%s" % peers[0]["info"]["props"].get("object.serial")
        rules.append((me, peer) if "/Output/" in media_class else (peer, me))
    return rules


def matches(node, spec):
    key, value = spec.split("=", 1) if "=" in spec else ("node.name", spec)
    return str(node["info"]["props"].get(key)) == value


def step(rules):
    """One pass; returns the rules not yet satisfied (the explicit ones and those of targets)."""
    objects = pw_dump()
    nodes = [o for o in objects if o["type"] == "PipeWire:Interface:Node"]
    rules = list(rules) + target_rules(nodes)
    links = {(o["info"]["output-port-id"], o["info"]["input-port-id"])
             for o in objects if o["type"] == "PipeWire:Interface:Link"}
    missing = []
    for src_spec, dst_spec in rules:
        srcs = [n for n in nodes if matches(n, src_spec)]
        dsts = [n for n in nodes if matches(n, dst_spec)]
        if not srcs or not dsts:
            missing.append((src_spec, dst_spec))
            continue
        src, dst = srcs[0], dsts[0]
        outputs = node_ports(objects, src["id"], "output")
        inputs = node_ports(objects, dst["id"], "input")
        if not outputs:
            configure_ports(src, "Output")
        if not inputs:
            configure_ports(dst, "Input")
        if not outputs or not inputs:
            missing.append((src_spec, dst_spec))
            continue
        done = True
        for out_port, in_port in wanted_pairs(outputs, inputs):
            if (out_port["id"], in_port["id"]) not in links:
                subprocess.run(["pw-link", str(out_port["id"]), str(in_port["id"])], capture_output=True, timeout=10)
                done = False
        if not done:
            missing.append((src_spec, dst_spec))
    return missing


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--keep-running", action="store_true")
    parser.add_argument("rules", nargs="*", metavar="SRC=>DST")
    args = parser.parse_args()
    rules = []
    for rule in args.rules:
        if "=>" not in rule:
            parser.error("a rule is SRC=>DST: " + rule)
        rules.append(tuple(rule.split("=>", 1)))
    deadline = time.monotonic() + args.timeout
    while True:
        missing = step(rules)
        if not missing and not args.keep_running:
            return 0
        if not args.keep_running and time.monotonic() > deadline:
            print("pipewire_links: not linked after %.0f s: %s" % (args.timeout, ", ".join("%s=>%s" % r for r in missing)),
                  file=sys.stderr)
            return 1
        time.sleep(0.2)


if __name__ == "__main__":
    sys.exit(main())
