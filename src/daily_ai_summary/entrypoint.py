"""``daily-ai-summary run``: the container action's entrypoint. It only dispatches:

    event -> Ignore (exit 0) | Generate -> generate.run_generate | Revise -> revise.run_revise

Secrets are masked before anything else is printed. Every failure the user can act on is a
``SummaryError`` that becomes one ``::error`` (with file and line where there is one) and exit
code 1, and nothing is pushed; a deliberate no-op exits 0. The run's environment (inputs, the
runner's variables, the test hooks) is read here, once, into a ``context.RunContext``.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Mapping

from daily_ai_summary.action import (
    INPUT_NAMES,
    RunnerEnv,
    read_inputs,
    read_runner_env,
    write_outputs,
    write_summary,
)
from daily_ai_summary.context import Hooks, RunContext, default_clients
from daily_ai_summary.errors import SummaryError
from daily_ai_summary.events import Generate, Ignore, Revise, classify, load_event
from daily_ai_summary.generate import action_outputs, generate_local, run_generate
from daily_ai_summary.log import ActionLog, Redactor
from daily_ai_summary.pipeline import Clients
from daily_ai_summary.revise import run_revise


def run(env: Mapping[str, str] | None = None, *, clients: Clients | None = None) -> int:
    """The action. Returns the exit code."""
    env = dict(os.environ if env is None else env)
    log = ActionLog(Redactor())

    # Mask first: before parsing, so that even an invalid input's value is never echoed.
    # Every form too: the Reddit secret inside base64(id:secret) as Basic auth sends it, the
    # token inside base64(x-access-token:token) as git's extraheader sends it (log.secret_forms).
    def raw(name: str) -> str:
        return env.get(f"INPUT_{name.upper()}", "").strip()

    log.mask(
        [
            raw("github-token"),
            raw("openai-api-key"),
            (raw("reddit-client-id"), raw("reddit-client-secret")),
        ]
    )
    runner: RunnerEnv | None = None
    try:
        runner = read_runner_env(env)  # first: a bad input still gets its job summary
        inputs = read_inputs(env)
        if inputs.mode == "plan":  # a backfill's plan job: the dates that need a post
            from daily_ai_summary.plan_command import run_plan

            return run_plan(
                RunContext(inputs, runner, log, clients or default_clients(), Hooks.from_env(env))
            )
        payload = load_event(runner.event_path)
        decision = classify(
            runner.event_name, payload, date_input=inputs.date, command_prefix=inputs.command_prefix
        )
        ctx = RunContext(inputs, runner, log, clients or default_clients(), Hooks.from_env(env))
        if isinstance(decision, Ignore):
            log.info(f"Nothing to do: {decision.reason}.")
            write_outputs(runner.output_path, action_outputs(None, None, post_path="", branch=""))
            return 0
        if isinstance(decision, Revise):
            return run_revise(ctx, decision)
        assert isinstance(decision, Generate)
        return run_generate(ctx, decision)
    except SummaryError as err:
        log.error(err)
        if runner is not None:
            try:
                write_summary(
                    runner.summary_path,
                    log.redact(f"## Daily AI summary failed\n\n{_md_error(err)}\n"),
                )
            except OSError as exc:  # the error above is what matters: one line, no traceback
                log.warning(
                    f"could not write the job summary to GITHUB_STEP_SUMMARY ({exc.strerror or type(exc).__name__})"
                )
        return 1
    except Exception as exc:  # noqa: BLE001 - a bug: say where, never leak a secret
        tb = log.redact("".join(traceback.format_exception(exc)))
        print(tb, file=sys.stderr)
        log.error(
            f"unexpected error ({type(exc).__name__}); this is a bug in daily-ai-summary, please report it with the log above"
        )
        return 1


def _md_error(err: SummaryError) -> str:
    return "```\n" + str(err).replace("```", "'''") + "\n```"


__all__ = ["INPUT_NAMES", "generate_local", "run"]
