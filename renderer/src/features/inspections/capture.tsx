// Evidence captured in the app (R-INSP-TRACE): a photo from the camera (getUserMedia, one frame drawn to a
// canvas as JPEG), a recording (MediaRecorder, WebM/Ogg as the browser records), and a signature drawn on
// screen (canvas, JPEG on white: the record form prints JPEG images). Everything works offline; the bytes go
// to the commands, which keep them in the file store.
import { AudioOutlined, CameraOutlined, ClearOutlined, StopOutlined } from '@ant-design/icons';
import { Button, Modal, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';

const canvasBytes = (canvas: HTMLCanvasElement, type: string, quality?: number) =>
  new Promise<ArrayBuffer>((resolve, reject) =>
    canvas.toBlob(
      (b) => (b ? b.arrayBuffer().then(resolve, reject) : reject(new Error('图像生成失败'))),
      type,
      quality,
    ),
  );

const mediaError = (e: unknown, what: string) =>
  e instanceof DOMException && e.name === 'NotAllowedError'
    ? `未获准使用${what}：请在系统设置中允许本程序使用${what}`
    : e instanceof DOMException && e.name === 'NotFoundError'
      ? `本机没有可用的${what}`
      : `无法打开${what}：${e instanceof Error ? e.message : String(e)}`;

/** 拍照: the camera in a window; 拍下 keeps one frame as a JPEG. */
export function CameraButton({
  disabled,
  onPhoto,
  testId,
}: {
  disabled?: boolean;
  onPhoto: (bytes: ArrayBuffer) => Promise<void>;
  testId?: string;
}) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    setReady(false);
    setError(null);
    navigator.mediaDevices
      .getUserMedia({ video: { width: 1280, height: 720 }, audio: false })
      .then((s) => {
        if (!live) {
          for (const t of s.getTracks()) t.stop();
          return;
        }
        stream.current = s;
        if (video.current) {
          video.current.srcObject = s;
          void video.current.play().then(() => setReady(true));
        }
      })
      .catch((e: unknown) => live && setError(mediaError(e, '摄像头')));
    return () => {
      live = false;
      for (const t of stream.current?.getTracks() ?? []) t.stop();
      stream.current = null;
    };
  }, [open]);

  const take = async () => {
    const v = video.current;
    if (!v) return;
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth || 1280;
    canvas.height = v.videoHeight || 720;
    canvas.getContext('2d')?.drawImage(v, 0, 0, canvas.width, canvas.height);
    const bytes = await canvasBytes(canvas, 'image/jpeg', 0.85);
    setOpen(false);
    await onPhoto(bytes);
  };

  return (
    <>
      <Button
        size="small"
        icon={<CameraOutlined />}
        disabled={disabled}
        onClick={() => setOpen(true)}
        data-testid={testId}
      >
        拍照
      </Button>
      <Modal
        open={open}
        title="拍照留证"
        width={720}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        footer={[
          <Button key="c" onClick={() => setOpen(false)}>
            取消
          </Button>,
          <Button key="t" type="primary" disabled={!ready} onClick={take} data-testid="camera-take">
            拍下
          </Button>,
        ]}
      >
        {error ? <Typography.Text type="danger">{error}</Typography.Text> : null}
        <video ref={video} className="xj-insp-camera" muted playsInline />
      </Modal>
    </>
  );
}

const RECORDER_TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/ogg'];

/** 录音: records from the microphone until 停止; the recording is kept as one file. */
export function RecorderButton({
  disabled,
  onRecording,
  testId,
}: {
  disabled?: boolean;
  onRecording: (bytes: ArrayBuffer, mime: string, seconds: number) => Promise<void>;
  testId?: string;
}) {
  const [recording, setRecording] = useState<{ started: number } | null>(null);
  const [seconds, setSeconds] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const recorder = useRef<MediaRecorder | null>(null);

  useEffect(() => {
    if (!recording) return;
    const t = setInterval(() => setSeconds(Math.round((Date.now() - recording.started) / 1000)), 500);
    return () => clearInterval(t);
  }, [recording]);
  useEffect(
    () => () => {
      for (const t of recorder.current?.stream.getTracks() ?? []) t.stop();
    },
    [],
  );

  const start = async () => {
    setError(null);
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const type = RECORDER_TYPES.find((t) => MediaRecorder.isTypeSupported(t));
      const r = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
      const chunks: Blob[] = [];
      const started = Date.now();
      r.ondataavailable = (e) => e.data.size > 0 && chunks.push(e.data);
      r.onstop = () => {
        for (const t of stream.getTracks()) t.stop();
        const mime = (r.mimeType || type || 'audio/webm').split(';')[0] as string;
        const blob = new Blob(chunks, { type: mime });
        void blob
          .arrayBuffer()
          .then((bytes) => onRecording(bytes, mime, Math.max(1, Math.round((Date.now() - started) / 1000))));
      };
      recorder.current = r;
      r.start(1000);
      setSeconds(0);
      setRecording({ started });
    } catch (e) {
      setError(mediaError(e, '麦克风'));
    }
  };
  const stop = () => {
    recorder.current?.stop();
    recorder.current = null;
    setRecording(null);
  };

  return (
    <Space size={4}>
      {recording ? (
        <Button
          size="small"
          danger
          icon={<StopOutlined />}
          onClick={stop}
          data-testid={testId ? `${testId}-stop` : undefined}
        >
          停止录音（{seconds} 秒）
        </Button>
      ) : (
        <Button
          size="small"
          icon={<AudioOutlined />}
          disabled={disabled}
          onClick={start}
          data-testid={testId}
        >
          录音
        </Button>
      )}
      {error ? <Typography.Text type="danger">{error}</Typography.Text> : null}
    </Space>
  );
}

/** A signature drawn with the mouse, pen or finger; 确认签字 hands over a JPEG on white. */
export function SignaturePad({
  disabled,
  onSigned,
  testId,
}: {
  disabled?: boolean;
  onSigned: (jpeg: ArrayBuffer) => Promise<void>;
  testId?: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const [strokes, setStrokes] = useState(0);

  const clear = () => {
    const c = canvas.current;
    const g = c?.getContext('2d');
    if (!c || !g) return;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, c.width, c.height);
    setStrokes(0);
  };
  useEffect(clear, []);

  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const c = canvas.current as HTMLCanvasElement;
    const r = c.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * c.width) / r.width, y: ((e.clientY - r.top) * c.height) / r.height };
  };

  return (
    <div className="xj-insp-sign" data-testid={testId}>
      <canvas
        ref={canvas}
        width={480}
        height={160}
        className={disabled ? 'xj-insp-sign-canvas disabled' : 'xj-insp-sign-canvas'}
        onPointerDown={(e) => {
          if (disabled) return;
          const g = canvas.current?.getContext('2d');
          if (!g) return;
          drawing.current = true;
          e.currentTarget.setPointerCapture(e.pointerId);
          const p = point(e);
          g.strokeStyle = '#1f1f1f';
          g.lineWidth = 3;
          g.lineCap = 'round';
          g.beginPath();
          g.moveTo(p.x, p.y);
        }}
        onPointerMove={(e) => {
          if (!drawing.current) return;
          const g = canvas.current?.getContext('2d');
          const p = point(e);
          g?.lineTo(p.x, p.y);
          g?.stroke();
        }}
        onPointerUp={() => {
          if (drawing.current) setStrokes((n) => n + 1);
          drawing.current = false;
        }}
      />
      <Space>
        <Button size="small" icon={<ClearOutlined />} disabled={disabled || strokes === 0} onClick={clear}>
          重写
        </Button>
        <Button
          size="small"
          type="primary"
          disabled={disabled || strokes === 0}
          data-testid={testId ? `${testId}-confirm` : undefined}
          onClick={async () => {
            if (canvas.current) await onSigned(await canvasBytes(canvas.current, 'image/jpeg', 0.9));
            clear();
          }}
        >
          确认签字
        </Button>
      </Space>
    </div>
  );
}
