"""GPU check of the tiny pipeline (run on a CUDA machine): doctor, LoRA training on the GPU
through the worker protocol, and GPU energy from nvidia-smi power samples (trapezoid → kWh).

usage: python gpu_check.py OUT_DIR
"""

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
from helpers import call, llama2_chat_jsonl, read_message, start_worker  # noqa: E402


def sample_power(samples, stop):
    while not stop.is_set():
        try:
            out = subprocess.run(["nvidia-smi", "--query-gpu=power.draw", "--format=csv,noheader,nounits"], capture_output=True, text=True, timeout=3).stdout
            samples.append((time.time(), sum(float(x) for x in out.split() if x.strip())))
        except Exception:  # noqa: BLE001
            pass
        time.sleep(0.5)


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    tiny = out / "tiny"
    subprocess.run([sys.executable, str(HERE / "make_tiny_llama.py"), str(tiny)], check=True, capture_output=True)
    data = out / "train.jsonl"
    llama2_chat_jsonl(data)
    w = start_worker()
    report = {"ready": read_message(w)["ready"]}
    report["doctor"] = call(w, 1, "doctor")["result"]
    cfg = dict(use_4bit=True, max_steps=60, save_steps=30, per_device_train_batch_size=16, learning_rate=3e-3, lora_r=8, lora_dropout=0.0,
               max_seq_length=512, early_stopping_patience=0, lora_target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "lm_head"])
    report["qlora_4bit"] = call(w, 2, "train", {"base": str(tiny), "train_file": str(data), "config": cfg, "run_dir": str(out / "r4")})
    cfg["use_4bit"] = False
    samples, stop = [], threading.Event()
    t = threading.Thread(target=sample_power, args=(samples, stop))
    t.start()
    t0 = time.time()
    metrics = []
    r = call(w, 3, "train", {"base": str(tiny), "train_file": str(data), "config": cfg, "run_dir": str(out / "r16")}, on_event=lambda e: e["event"] == "metric" and metrics.append(e))
    wall = time.time() - t0
    stop.set()
    t.join()
    joules = sum((samples[i][0] - samples[i - 1][0]) * (samples[i][1] + samples[i - 1][1]) / 2 for i in range(1, len(samples)))
    kwh = joules / 3.6e6
    report["lora_gpu"] = {k: v for k, v in r.get("result", r).items() if k != "versions"} if "result" in r else r
    report["lora_gpu_wall_s"] = wall
    report["energy"] = {"samples": len(samples), "mean_w": (sum(s[1] for s in samples) / len(samples)) if samples else None, "gpu_kwh": kwh, "co2_kg_at_0.4": kwh * 0.4}
    report["tokens_per_s_last"] = [m["tokens_per_second"] for m in metrics[-5:]]
    w.kill()
    (out / "gpu_check.json").write_text(json.dumps(report, indent=2, default=str))
    print(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
