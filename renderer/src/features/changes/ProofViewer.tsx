// One proof of a request, opened in the app (a scan image or a PDF): the bytes this machine holds, or a
// download through the sync engine — which the server allows to every party of the request (both schools
// and both bureaus of a transfer) and to no one else (server/attachments/routes.ts).
import { Alert, Button, Modal, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { PROOF_KINDS, type Proof } from '../../../../shared/workflows';
import { useDesk } from '../../app/session';
import { loadAttachment } from '../../sync/attachments-open';

type Shown =
  | { state: 'loading' }
  | { state: 'failed'; message: string }
  | { state: 'ready'; url: string; mime: string };

/** The SHA-256 of a proof's attachment record (`<schoolId>:<sha256>`, shared/domain/attachment-types). */
export function proofSha(proof: Proof): string | undefined {
  const sha = proof.attachmentId?.split(':').pop();
  return sha && /^[0-9a-f]{64}$/.test(sha) ? sha : undefined;
}

const mimeOf = (name: string) =>
  /\.pdf$/i.test(name) ? 'application/pdf' : /\.png$/i.test(name) ? 'image/png' : 'image/jpeg';

export function ProofViewer({ proof, onClose }: { proof: Proof | null; onClose: () => void }) {
  const { db } = useDesk();
  const [shown, setShown] = useState<Shown>({ state: 'loading' });
  useEffect(() => {
    if (!proof) return;
    const sha = proofSha(proof);
    let url: string | undefined;
    let live = true;
    setShown({ state: 'loading' });
    if (!sha) {
      setShown({ state: 'failed', message: `“${proof.name}”没有随申请上传的文件（纸质材料），请查看原件` });
      return;
    }
    loadAttachment(db, sha, { name: proof.name, mime: mimeOf(proof.name) }).then((r) => {
      if (!live) return;
      if (!r.ok) setShown({ state: 'failed', message: r.message });
      else {
        url = URL.createObjectURL(r.blob.bytes);
        setShown({ state: 'ready', url, mime: r.blob.mime });
      }
    });
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [db, proof]);
  if (!proof) return null;
  const title = `${PROOF_KINDS[proof.kind]}：${proof.name}`;
  return (
    <Modal
      open
      title={title}
      width={920}
      onCancel={onClose}
      footer={[
        shown.state === 'ready' ? (
          <Button key="save" href={shown.url} download={proof.name}>
            另存为…
          </Button>
        ) : null,
        <Button key="close" type="primary" onClick={onClose} data-testid="proof-close">
          关闭
        </Button>,
      ]}
      styles={{ body: { height: 560 } }}
    >
      <div style={{ height: '100%' }} data-testid="proof-viewer">
        {shown.state === 'loading' ? (
          <Spin style={{ marginTop: 120, width: '100%' }} description="正在打开证明材料…" />
        ) : shown.state === 'failed' ? (
          <Alert type="error" showIcon title={shown.message} data-testid="proof-error" />
        ) : shown.mime === 'application/pdf' ? (
          <iframe
            src={shown.url}
            title={title}
            style={{ width: '100%', height: '100%', border: '1px solid #e5e5e5' }}
            data-testid="proof-pdf"
          />
        ) : (
          <div style={{ height: '100%', overflow: 'auto', textAlign: 'center', background: '#f5f5f5' }}>
            <img src={shown.url} alt={title} style={{ maxWidth: '100%' }} data-testid="proof-image" />
          </div>
        )}
      </div>
    </Modal>
  );
}
