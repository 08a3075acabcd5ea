// The preload script: runs sandboxed (CommonJS, only `electron`'s renderer modules), and exposes ONE
// object, window.xueji, with one method per IPC message. It never exposes ipcRenderer or a generic
// send(channel) (Electron security checklist, "do not expose Electron APIs to untrusted web content").
import { contextBridge, ipcRenderer } from 'electron';
import type {
  AppInfo,
  BridgeResult,
  OpenArchiveFolderRequest,
  OpenedFile,
  OpenedFolder,
  OpenFileRequest,
  PdfPreview,
  PreviewPdfRequest,
  PrintOutcome,
  PrintPdfRequest,
  SavedFile,
  SavedPdf,
  SaveFileRequest,
  SavePdfRequest,
  ServerOriginSet,
  SetServerOriginRequest,
  XuejiBridge,
} from '../shared/bridge';
import { CHANNELS } from './ipc/channels';

const bridge: XuejiBridge = {
  host: 'electron',
  getAppInfo: (): Promise<AppInfo> => ipcRenderer.invoke(CHANNELS.appInfo),
  savePdf: (request: SavePdfRequest): Promise<BridgeResult<SavedPdf>> =>
    ipcRenderer.invoke(CHANNELS.pdfSave, request),
  previewPdf: (request: PreviewPdfRequest): Promise<BridgeResult<PdfPreview>> =>
    ipcRenderer.invoke(CHANNELS.pdfPreview, request),
  printPdf: (request: PrintPdfRequest): Promise<BridgeResult<PrintOutcome>> =>
    ipcRenderer.invoke(CHANNELS.pdfPrint, request),
  openFile: (request?: OpenFileRequest): Promise<BridgeResult<OpenedFile>> =>
    ipcRenderer.invoke(CHANNELS.fileOpen, request ?? null),
  saveFile: (request: SaveFileRequest): Promise<BridgeResult<SavedFile>> =>
    ipcRenderer.invoke(CHANNELS.fileSave, request),
  openArchiveFolder: (request: OpenArchiveFolderRequest): Promise<BridgeResult<OpenedFolder>> =>
    ipcRenderer.invoke(CHANNELS.archiveOpenFolder, request),
  setServerOrigin: (request: SetServerOriginRequest): Promise<BridgeResult<ServerOriginSet>> =>
    ipcRenderer.invoke(CHANNELS.serverSetOrigin, request),
};

contextBridge.exposeInMainWorld('xueji', bridge);
