/** Short names for the types generated from the server's OpenAPI schema (src/api/schema.ts). */
import type { components } from './schema';

type Schemas = components['schemas'];

export type User = Schemas['UserPublic'];
export type LoginResult = Schemas['LoginResult'];
export type Project = Schemas['ProjectPublic'];
export type Role = NonNullable<Project['role']>;
export type TreeEntry = Schemas['TreeEntry'];
export type Tree = Schemas['TreePublic'];
export type Commit = Schemas['CommitPublic'];
export type CommitDetail = Schemas['CommitDetail'];
export type FileChange = Schemas['FileChange'];
export type CommitPage = Schemas['CommitPage'];
export type SessionCreated = Schemas['SessionCreated'];
export type SessionJoined = Schemas['SessionJoined'];
