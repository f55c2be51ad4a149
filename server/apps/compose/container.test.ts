import { describe, expect, it } from "vitest";

import { checkComposeService } from "./check";
import { paths, web } from "./harness";

describe("image, command and entrypoint", () => {
  it("needs an image; build alone is refused and listed", () => {
    const service = web("build: .");
    const check = checkComposeService(service);

    expect(check.fieldErrors).toEqual({
      "services.web.image": ["is required: give the image to run; Berth does not build images"],
    });
    expect(paths(service.unsupported)).toEqual(["services.web.build"]);
  });

  it("refuses an image of the wrong type", () => {
    const check = checkComposeService(web("image: [a, b]"));

    expect(check.fieldErrors?.["services.web.image"]?.[0]).toMatch(/must be text, not a list/);
    expect(check.fieldErrors?.image).toBeUndefined();
  });

  it("reports a bad image reference with the spec's message", () => {
    const check = checkComposeService(web('image: "web;rm -rf /"'));

    expect(check.fieldErrors?.image?.[0]).toMatch(/no spaces or shell characters/);
  });

  it("maps command to args and entrypoint to command, splitting strings into words", () => {
    const service = web(`
image: berth-demo/web:1
entrypoint: /bin/tini --
command: node server.js --name "my app"
`);

    expect(service.candidate.command).toEqual(["/bin/tini", "--"]);
    expect(service.candidate.args).toEqual(["node", "server.js", "--name", "my app"]);
    expect(service.notes).toEqual([]);
  });

  it("keeps list forms as they are, ; and all", () => {
    const service = web('image: a\ncommand: ["sh", "-c", "echo a; echo b"]');

    expect(service.candidate.args).toEqual(["sh", "-c", "echo a; echo b"]);
  });

  it("notes shell operators in a string command", () => {
    const service = web("image: a\ncommand: echo a && echo b");

    expect(service.candidate.args).toEqual(["echo", "a", "&&", "echo", "b"]);
    expect(service.notes[0]?.reason).toMatch(/no shell runs/);
  });

  it("refuses variables Compose would fill in, and undoes $$", () => {
    const service = web("image: a:${TAG}\ncommand: echo $$HOME");

    expect(service.errors[0]).toMatchObject({ path: "services.web.image" });
    expect(service.errors[0]?.reason).toMatch(/uses a variable/);
    expect(service.candidate.args).toEqual(["echo", "$HOME"]);
  });
});

describe("environment", () => {
  it("reads the list form and lists names without a value", () => {
    const service = web("image: a\nenvironment: [A=1, B=x=y, C, D=]");

    expect(service.candidate.env).toEqual({ A: "1", B: "x=y", D: "" });
    expect(paths(service.unsupported)).toEqual(["services.web.environment.2"]);
    expect(service.unsupported[0]?.reason).toMatch(/C has no value/);
  });

  it("reads the map form, numbers and booleans as text", () => {
    const service = web("image: a\nenvironment: { PORT: 8080, DEBUG: true, EMPTY: '', SHELL: }");

    expect(service.candidate.env).toEqual({ PORT: "8080", DEBUG: "true", EMPTY: "" });
    expect(paths(service.unsupported)).toEqual(["services.web.environment.SHELL"]);
  });

  it("refuses an environment of the wrong type", () => {
    const service = web("image: a\nenvironment: PORT=1");

    expect(service.errors[0]?.path).toBe("services.web.environment");
  });

  it("reports bad names with the spec's message at env.NAME", () => {
    const check = checkComposeService(web("image: a\nenvironment: { 'BAD-NAME': x }"));

    expect(Object.keys(check.fieldErrors ?? {})).toEqual(["env.BAD-NAME"]);
  });
});
