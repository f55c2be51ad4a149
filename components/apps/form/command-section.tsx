"use client";

import { TextAreaField } from "@/components/ui/field";

import { argvOf } from "../app-form-model";
import { type TSectionProps, bindText } from "./section-props";

/** The argv a box gives, quoted item by item, so what runs is never a guess. */
export function ArgvPreview({ argv }: { argv: readonly string[] }) {
  if (argv.length === 0) {
    return <>One item per line; no shell, no quoting.</>;
  }

  return (
    <>
      Runs as <code className="font-mono break-all">{JSON.stringify(argv)}</code>: one item per
      line, no shell.
    </>
  );
}

/** The image's entrypoint and arguments, replaced only when these boxes are filled. */
export function CommandSection(props: TSectionProps) {
  const { form } = props;

  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <TextAreaField
        label="Command (entrypoint)"
        rows={3}
        placeholder={"node\nserver.js"}
        hint={
          form.command === "" ? (
            "Empty keeps the image's ENTRYPOINT. One item per line; no shell, no quoting."
          ) : (
            <ArgvPreview argv={argvOf(form.command)} />
          )
        }
        {...bindText(props, "command", "command")}
      />
      <TextAreaField
        label="Arguments"
        rows={3}
        placeholder={"--port\n8080"}
        hint={
          form.args === "" ? (
            "Empty keeps the image's CMD. One item per line; no shell, no quoting."
          ) : (
            <ArgvPreview argv={argvOf(form.args)} />
          )
        }
        {...bindText(props, "args", "args")}
      />
    </div>
  );
}
