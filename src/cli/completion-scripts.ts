/**
 * Shell completion scripts. Both ask the CLI itself (`--get-yargs-completions`, yargs' completion entry point), so
 * they complete exactly the commands, options and choices of the installed version. SHELL is set for that call
 * because yargs formats its answer by it (zsh: `name:description` pairs; bash: bare words).
 */
export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

const bash = (bin: string, fn: string) => `# apim-deploy completion for bash. Install: apim-deploy completion bash > /etc/bash_completion.d/apim-deploy
# (or add \`source <(apim-deploy completion bash)\` to ~/.bashrc)
${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]}
  local IFS=$'\\n'
  local words
  words=$(SHELL=bash COMP_CWORD="$COMP_CWORD" ${bin} --get-yargs-completions "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
  # Nothing to suggest (a file argument): fall back to file names.
  [ \${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=($(compgen -f -- "$cur"))
  return 0
}
complete -o filenames -F ${fn} ${bin}
`;

const zsh = (bin: string, fn: string) => `#compdef ${bin}
# apim-deploy completion for zsh. Install: apim-deploy completion zsh > "\${fpath[1]}/_apim-deploy"
# (or add \`source <(apim-deploy completion zsh)\` to ~/.zshrc after compinit)
${fn}() {
  local -a reply
  local IFS=$'\\n'
  reply=($(SHELL=zsh ${bin} --get-yargs-completions "\${(@)words[2,CURRENT]}" 2>/dev/null))
  if (( \${#reply} > 0 )); then
    _describe 'apim-deploy' reply
  else
    _files
  fi
}
if [[ "\${zsh_eval_context[-1]}" == "loadautofunc" ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${bin}
fi
`;

export function completionScript(shell: Shell, bin = 'apim-deploy'): string {
  const fn = `_${bin.replace(/[^A-Za-z0-9_]/g, '_')}_complete`;
  return shell === 'zsh' ? zsh(bin, fn) : bash(bin, fn);
}

/** The shell to write for when none is named: the login shell's, else bash. */
export const defaultShell = (env: NodeJS.ProcessEnv = process.env): Shell => (/zsh/.test(env.SHELL ?? '') ? 'zsh' : 'bash');
