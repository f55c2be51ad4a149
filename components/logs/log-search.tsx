"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

import { type TRouterInputs, useTRPC } from "@/components/trpc/client";
import { errorMessage, fieldErrorsOf } from "@/components/trpc/errors";
import { Button, buttonClass } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";

import { LogLines } from "./log-lines";
import type { TLogTarget } from "./use-log-tail";

const PAGE_LINES = 200;

type TSearchInput = Omit<TRouterInputs["log"]["search"], "cursor">;

type TForm = { text: string; isRegex: boolean; from: string; to: string; stream: string };

const EMPTY_FORM: TForm = { text: "", isRegex: false, from: "", to: "", stream: "" };

/** A datetime-local value ("2026-12-03T14:05") as a time, in the browser's zone. */
function timeOf(value: string): Date | undefined {
  const at = value ? new Date(value) : undefined;

  return at && !Number.isNaN(at.getTime()) ? at : undefined;
}

function inputOf(target: TLogTarget, form: TForm): TSearchInput {
  return {
    ...target,
    text: form.text || undefined,
    isRegex: form.isRegex,
    from: timeOf(form.from),
    to: timeOf(form.to),
    stream: form.stream === "stdout" || form.stream === "stderr" ? form.stream : undefined,
    limit: PAGE_LINES,
  };
}

/** The download address of a search: the same filter, as a text file. */
export function downloadHref(input: TSearchInput): string {
  const params = new URLSearchParams({ appId: input.appId });
  const optional: [string, string | undefined][] = [
    ["replicaId", input.replicaId],
    ["q", input.text],
    ["regex", input.isRegex ? "1" : undefined],
    ["from", input.from?.toISOString()],
    ["to", input.to?.toISOString()],
    ["stream", input.stream],
  ];
  for (const [key, value] of optional) {
    if (value) {
      params.set(key, value);
    }
  }

  return `/api/logs/download?${params.toString()}`;
}

function countText(count: number, hasMore: boolean): string {
  return `${count.toLocaleString()}${hasMore ? "+" : ""}`;
}

/** Why the text is not a regular expression, checked here before the server checks it too. */
function regexError(form: TForm): string[] | undefined {
  if (!form.isRegex || !form.text) {
    return undefined;
  }
  try {
    new RegExp(form.text, "i");

    return undefined;
  } catch {
    return ["is not a valid regular expression"];
  }
}

function SearchForm({
  form,
  setForm,
  onSubmit,
  fieldErrors,
}: {
  form: TForm;
  setForm: (form: TForm) => void;
  onSubmit: (event: FormEvent) => void;
  fieldErrors: Record<string, string[]>;
}) {
  return (
    <form
      onSubmit={onSubmit}
      className="grid gap-3 px-4 pt-3 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_1fr_auto]"
      aria-label="Search stored logs"
    >
      <div className="min-w-0 sm:col-span-2 lg:col-span-1">
        <TextField
          label={form.isRegex ? "Regular expression" : "Text"}
          placeholder={form.isRegex ? "e.g. timeout|refused" : "e.g. error"}
          value={form.text}
          onChange={(event) => setForm({ ...form, text: event.target.value })}
          errors={regexError(form) ?? fieldErrors.text}
        />
        <label className="mt-1 flex items-center gap-2 text-xs text-muted">
          <input
            type="checkbox"
            checked={form.isRegex}
            onChange={(event) => setForm({ ...form, isRegex: event.target.checked })}
          />
          Regular expression (case-insensitive)
        </label>
      </div>
      <TextField
        label="From"
        type="datetime-local"
        value={form.from}
        onChange={(event) => setForm({ ...form, from: event.target.value })}
        errors={fieldErrors.from}
      />
      <TextField
        label="To"
        type="datetime-local"
        value={form.to}
        onChange={(event) => setForm({ ...form, to: event.target.value })}
        errors={fieldErrors.to}
      />
      <SelectField
        label="Stream"
        value={form.stream}
        onChange={(event) => setForm({ ...form, stream: event.target.value })}
      >
        <option value="">stdout and stderr</option>
        <option value="stdout">stdout</option>
        <option value="stderr">stderr</option>
      </SelectField>
      <div className="flex items-end">
        <Button type="submit" variant="primary" disabled={regexError(form) !== undefined}>
          Search
        </Button>
      </div>
    </form>
  );
}

/** Search over the stored log of an app or replica, newest first, with a download. */
export function LogSearch({ target }: { target: TLogTarget }) {
  const trpc = useTRPC();
  const [form, setForm] = useState<TForm>(EMPTY_FORM);
  const [submitted, setSubmitted] = useState<TSearchInput>(() => inputOf(target, EMPTY_FORM));
  const search = useInfiniteQuery(
    trpc.log.search.infiniteQueryOptions(submitted, {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
    }),
  );
  const lines = search.data?.pages.flatMap((page) => page.lines) ?? [];
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(inputOf(target, form));
  };

  return (
    <div className="space-y-3">
      <SearchForm
        form={form}
        setForm={setForm}
        onSubmit={onSubmit}
        fieldErrors={search.isError ? fieldErrorsOf(search.error) : {}}
      />
      <div className="flex flex-wrap items-center gap-2 px-4">
        <p className="flex-1 text-xs text-muted" role="status" data-testid="log-search-count">
          {search.isPending
            ? "Searching…"
            : `${countText(lines.length, search.hasNextPage)} lines, newest first`}
        </p>
        <a
          href={downloadHref(submitted)}
          download
          className={buttonClass("secondary", "sm")}
          data-testid="log-download"
        >
          Download
        </a>
      </div>
      {search.isError ? (
        <Notice tone="danger" role="alert" className="mx-4">
          {errorMessage(search.error)}
        </Notice>
      ) : null}
      <LogLines
        lines={lines}
        hasTag={target.replicaId === undefined}
        label="Search results"
        empty={search.isPending ? "Searching…" : "No stored line matches."}
      />
      {search.hasNextPage ? (
        <div className="px-4 pb-3">
          <Button
            size="sm"
            isBusy={search.isFetchingNextPage}
            onClick={() => void search.fetchNextPage()}
          >
            Load older lines
          </Button>
        </div>
      ) : null}
    </div>
  );
}
