/** The workspace: file tree, tabs, the collaborative Monaco editor, side panels and status bar. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Project, TreeEntry, User } from '../api/types';
import { discardEarly, takeEarlyFetches } from '../editor/early';
import { monaco } from '../editor/monaco';
import { EditorSession, pathOf } from '../editor/session';
import { api } from '../lib/api';
import { navigate, workspaceUrl } from '../lib/router';
import { registerProviders } from '../lsp/providers';
import { ChatPanel } from './ChatPanel';
import { CommitDialog } from './CommitDialog';
import { FileTree } from './FileTree';
import { HistoryPanel } from './HistoryPanel';
import { Presence } from './Presence';
import { Problems } from './Problems';
import { ShareDialog } from './ShareDialog';
import { StatusBar } from './StatusBar';
import { useSessionVersion } from './useSession';

let currentSession: EditorSession | null = null;
let providersRegistered = false;

function ensureProviders() {
  if (providersRegistered) return;
  providersRegistered = true;
  registerProviders(monaco, {
    client: () => currentSession?.lsp ?? null,
    ensureModel: (uri) => currentSession?.ensureModel(uri) ?? Promise.resolve(null),
  });
  monaco.editor.registerEditorOpener({
    openCodeEditor(_source, resource, selectionOrPosition) {
      const s = currentSession;
      if (!s) return false;
      const range =
        selectionOrPosition && 'startLineNumber' in selectionOrPosition
          ? selectionOrPosition
          : selectionOrPosition
            ? monaco.Range.fromPositions(selectionOrPosition)
            : undefined;
      if (resource.scheme === 'devsync') {
        void s.open(pathOf(resource)).then(() => range && s.activate(pathOf(resource), range));
        return true;
      }
      if (resource.scheme === 'devsync-lib') {
        void s.openLib(resource, range);
        return true;
      }
      return false;
    },
  });
}

type Panel = 'history' | 'chat' | null;

export default function Workspace({
  user,
  projectId,
  file,
}: {
  user: User;
  projectId: number;
  file: string | null;
}) {
  const [project, setProject] = useState<Project | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tree, setTree] = useState<TreeEntry[]>([]);
  const [treeLoaded, setTreeLoaded] = useState(false);
  const [session, setSession] = useState<EditorSession | null>(null);
  const [panel, setPanel] = useState<Panel>(null);
  const [showProblems, setShowProblems] = useState(false);
  const [committing, setCommitting] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [historyKey, setHistoryKey] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [online, setOnline] = useState(navigator.onLine);
  const host = useRef<HTMLDivElement>(null);
  useSessionVersion(session);

  const loadTree = useCallback(
    () =>
      api
        .tree(projectId)
        .then(setTree)
        .catch((err: Error) => setNotice(`Files: ${err.message}`)),
    [projectId],
  );

  useEffect(() => {
    // A deep link has these requests under way already (early.ts).
    const early = takeEarlyFetches(projectId);
    (early?.project ?? api.project(projectId)).then(setProject).catch((err: Error) => {
      discardEarly();
      setError(err.message);
    });
    (early?.tree ?? api.tree(projectId))
      .then((entries) => {
        setTree(entries);
        setTreeLoaded(true);
      })
      .catch((err: Error) => setNotice(`Files: ${err.message}`));
  }, [projectId]);

  useEffect(() => {
    if (!project || !host.current) return;
    ensureProviders();
    const s = new EditorSession(projectId, user, project.role ?? 'viewer');
    currentSession = s;
    s.mount(host.current);
    const off = s.notices.on((m) => setNotice(m.message));
    setSession(s);
    return () => {
      off();
      if (currentSession === s) currentSession = null;
      s.dispose();
    };
  }, [project, projectId, user]);

  useEffect(() => {
    if (session && file && session.active !== file) void session.open(file);
  }, [session, file]);

  // Reopen the tabs this browser had open in the project (those that still exist), once.
  const restored = useRef<EditorSession | null>(null);
  useEffect(() => {
    if (!session || !treeLoaded || restored.current === session) return;
    restored.current = session;
    session.restoreTabs(new Set(tree.filter((e) => e.type !== 'dir').map((e) => e.path)));
  }, [session, tree, treeLoaded]);

  // Keep the URL on the active project file, so it can be shared and reloaded.
  const active = session?.active ?? null;
  useEffect(() => {
    if (session && active && !active.includes('://'))
      navigate(workspaceUrl(projectId, active), true);
  }, [session, active, projectId]);

  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);

  if (error) {
    return (
      <div className="splash">
        <div className="error" role="alert">
          {error}
        </div>
        <a href="/" onClick={(e) => (e.preventDefault(), navigate('/'))}>
          Back to projects
        </a>
      </div>
    );
  }

  const participants = session?.participants() ?? [];
  const conn = session?.connection();
  const openFile = (path: string) => void session?.open(path);

  return (
    <div className="workspace">
      <header className="topbar">
        <a href="/" onClick={(e) => (e.preventDefault(), navigate('/'))}>
          DevSync
        </a>
        <span className="muted">/</span>
        <strong>{project?.name ?? '…'}</strong>
        {project?.role && <span className="badge">{project.role}</span>}
        <span className="spacer" />
        {session && (
          <Presence
            participants={participants}
            following={session.following}
            onFollow={(sid) => session.follow(sid)}
          />
        )}
        <button
          onClick={() => setPanel(panel === 'history' ? null : 'history')}
          aria-pressed={panel === 'history'}
        >
          History
        </button>
        <button
          onClick={() => setPanel(panel === 'chat' ? null : 'chat')}
          aria-pressed={panel === 'chat'}
        >
          AI chat
        </button>
        {project?.role === 'owner' && <button onClick={() => setSharing(true)}>Share</button>}
      </header>
      {(!online || conn === 'disconnected') && (
        <div className="banner offline" role="status">
          {online
            ? 'Connection lost — reconnecting. Your edits are kept and will merge when it is back.'
            : 'You are offline. Edits are kept and will sync when the network returns.'}
        </div>
      )}
      {notice && (
        <div className="banner notice" role="status">
          {notice} <button onClick={() => setNotice(null)}>×</button>
        </div>
      )}
      <div className="body">
        <FileTree
          projectId={projectId}
          entries={tree}
          active={active}
          readOnly={session?.readOnly ?? true}
          onOpen={openFile}
          onChanged={(removed) => {
            if (removed) session?.forget(removed);
            void loadTree();
          }}
        />
        <main className="editor-area">
          <div className="tabs" role="tablist">
            {session?.files.map((f) => (
              <div
                key={f.path}
                role="tab"
                aria-selected={f.path === active}
                className={`tab ${f.path === active ? 'active' : ''}`}
                onClick={() => session.activate(f.path)}
                title={f.path}
              >
                {f.room ? (
                  ''
                ) : (
                  <span className="ro" title="read-only library file">
                    RO{' '}
                  </span>
                )}
                {f.path.includes('://') ? f.path.slice(f.path.lastIndexOf('/') + 1) : f.path}
                <button
                  className="close"
                  aria-label={`Close ${f.path}`}
                  onClick={(e) => {
                    e.stopPropagation();
                    session.close(f.path);
                  }}
                >
                  ×
                </button>
              </div>
            ))}
          </div>
          <div className="editor-host" ref={host} />
          {session && session.files.length === 0 && (
            <div className="empty-editor muted">Open a file from the tree.</div>
          )}
          <div className="problems-bar">
            <button onClick={() => setShowProblems(!showProblems)} aria-pressed={showProblems}>
              Problems
            </button>
          </div>
          {showProblems && session && (
            <Problems
              session={session}
              onJump={(uri, line, col) => {
                const u = monaco.Uri.parse(uri);
                const range = new monaco.Range(line, col, line, col);
                if (u.scheme === 'devsync')
                  void session.open(pathOf(u)).then(() => session.activate(pathOf(u), range));
              }}
            />
          )}
        </main>
        {session && panel === 'history' && (
          <HistoryPanel
            session={session}
            refreshKey={historyKey}
            onCommit={() => setCommitting(true)}
          />
        )}
        {session && panel === 'chat' && <ChatPanel session={session} />}
      </div>
      {session && <StatusBar session={session} participants={participants} />}
      {committing && session && (
        <CommitDialog
          session={session}
          onCancel={() => setCommitting(false)}
          onDone={() => {
            setCommitting(false);
            setPanel('history');
            setHistoryKey(historyKey + 1);
          }}
        />
      )}
      {sharing && (
        <ShareDialog
          projectId={projectId}
          canEnd={project?.role === 'owner'}
          onClose={() => setSharing(false)}
        />
      )}
    </div>
  );
}
